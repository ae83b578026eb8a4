package com.contoso.sitebackup.durable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The fixed instance ids that keep one run per target: Durable allows one instance per id, so two starts
 * of the same target meet at the same id instead of running side by side.
 * <ul>
 *   <li>{@code job-<name>}: a scheduled job of {@code BACKUP_JOBS};</li>
 *   <li>{@code backup-<hash>} and {@code verify-<hash>}: a backup or a verify started over HTTP, the hash
 *       of its container and blob prefix (the blobs it writes or reads);</li>
 *   <li>{@code restore-<hash>}: a restore started over HTTP, the hash of its target directory;</li>
 *   <li>{@code retention-<hash>}: a pruning of a backup's snapshots, the hash of its container and prefix.</li>
 * </ul>
 * A hash, not the names themselves: a prefix or a path may hold characters an instance id may not
 * ({@code /}, {@code #}, {@code ?}), and the id appears in status URLs.
 */
public final class InstanceIds {
    /** What every scheduled job's instance id starts with. */
    public static final String JOB_PREFIX = "job-";

    private InstanceIds() {
    }

    /** The instance id of the scheduled job {@code name}. */
    public static String job(String name) {
        return JOB_PREFIX + Objects.requireNonNull(name, "name");
    }

    /**
     * The scheduled job an instance belongs to: the name in {@code job-<name>}, also for the instances that
     * job starts beneath it ({@code job-<name>:...}); empty for any other instance.
     */
    public static Optional<String> jobOf(String instanceId) {
        if (instanceId == null || !instanceId.startsWith(JOB_PREFIX)) {
            return Optional.empty();
        }
        String rest = instanceId.substring(JOB_PREFIX.length());
        int child = rest.indexOf(':');
        String name = child < 0 ? rest : rest.substring(0, child);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** The instance id of a backup to {@code blobPrefix} in {@code container}. */
    public static String backup(String container, String blobPrefix) {
        return "backup-" + hash(Objects.requireNonNull(container, "container") + "/"
                + Objects.requireNonNull(blobPrefix, "blobPrefix"));
    }

    /** The instance id of a verify of the backup under {@code blobPrefix} in {@code container}. */
    public static String verify(String container, String blobPrefix) {
        return "verify-" + hash(Objects.requireNonNull(container, "container") + "/"
                + Objects.requireNonNull(blobPrefix, "blobPrefix"));
    }

    /** The instance id of a pruning of the snapshots of the backup under {@code blobPrefix} in {@code container}. */
    public static String retention(String container, String blobPrefix) {
        return "retention-" + hash(Objects.requireNonNull(container, "container") + "/"
                + Objects.requireNonNull(blobPrefix, "blobPrefix"));
    }

    /** The instance id of a restore into {@code targetDirectory}. */
    public static String restore(String targetDirectory) {
        return "restore-" + hash(Objects.requireNonNull(targetDirectory, "targetDirectory"));
    }

    /** 128 bits of SHA-256, in hex: no two targets share an id in practice. */
    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
