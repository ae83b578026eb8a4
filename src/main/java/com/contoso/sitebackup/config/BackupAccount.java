package com.contoso.sitebackup.config;

import com.contoso.sitebackup.text.Printable;

import com.azure.storage.blob.BlobServiceClient;
import java.net.URI;
import java.util.Locale;

/**
 * Which storage account a run is for: the account URL of the backup account's client ({@code scheme://host:port/path},
 * scheme and host in lower case, no trailing slash), such as {@code https://name.blob.core.windows.net} or Azurite's
 * {@code http://127.0.0.1:10000/devstoreaccount1}. The starter stamps it on every request it starts ({@code account});
 * a worker whose own backup account is another refuses the run's listing, so a worker that shares a task hub with
 * another app's (two local runs on one engine, issue 21) never reads or writes its files in the wrong account. A
 * request without one (started through Durable's own API, or by a test) is not checked.
 */
public final class BackupAccount {
    /** The longest account URL a request may carry. */
    static final int MAX_LENGTH = 2_048;

    private BackupAccount() {
    }

    /** The account {@code service} reads and writes. */
    public static String of(BlobServiceClient service) {
        return normalize(service.getAccountUrl());
    }

    /** {@code url} with its scheme and host in lower case, without a trailing slash, query or fragment. */
    static String normalize(String url) {
        URI uri = URI.create(url.strip());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT) + "://";
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    /**
     * Null when a run stamped with {@code account} may run on a worker whose backup account is {@code service}'s
     * (the same account, or none stamped); otherwise why not, naming both.
     */
    public static String mismatch(String account, BlobServiceClient service) {
        if (account == null) {
            return null;
        }
        String own = of(service);
        if (account.length() <= MAX_LENGTH && own.equals(account)) {
            return null;
        }
        String shown = account.length() <= MAX_LENGTH ? account : account.substring(0, 200) + "...";
        return "this run was started for the backup account " + Printable.quote(shown) + ", and this worker's"
                + " backup account (" + Settings.BACKUP_STORAGE + ") is " + own + ": a worker never works for"
                + " another account (does another app or local run share this task hub?)";
    }
}
