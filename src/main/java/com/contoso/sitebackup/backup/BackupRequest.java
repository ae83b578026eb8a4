package com.contoso.sitebackup.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What to back up and where: the input of {@code BackupSiteContent} and of {@code GetFileList}.
 *
 * <p>{@code container} and {@code blobPrefix} may be null in a request as a user sends it; the starter fills
 * them in ({@link #withDefaults}) before the orchestration starts, so the orchestration's input says
 * exactly where every blob goes. Getters tolerate fields a binder left null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class BackupRequest {
    private final String rootDirectory;
    private final String container;
    private final String blobPrefix;
    private final List<String> include;
    private final List<String> exclude;
    private final boolean dryRun;
    private final boolean compareContent;

    @JsonCreator
    public BackupRequest(@JsonProperty("rootDirectory") String rootDirectory,
                         @JsonProperty("container") String container,
                         @JsonProperty("blobPrefix") String blobPrefix,
                         @JsonProperty("include") List<String> include,
                         @JsonProperty("exclude") List<String> exclude,
                         @JsonProperty("dryRun") boolean dryRun,
                         @JsonProperty("compareContent") boolean compareContent) {
        this.rootDirectory = rootDirectory;
        this.container = container;
        this.blobPrefix = blobPrefix;
        this.include = include == null ? List.of() : List.copyOf(include);
        this.exclude = exclude == null ? List.of() : List.copyOf(exclude);
        this.dryRun = dryRun;
        this.compareContent = compareContent;
    }

    /** A request for {@code rootDirectory} with every option at its default. */
    public static BackupRequest of(String rootDirectory) {
        return new BackupRequest(rootDirectory, null, null, null, null, false, false);
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    public String getContainer() {
        return container;
    }

    public String getBlobPrefix() {
        return blobPrefix;
    }

    public List<String> getInclude() {
        return include == null ? List.of() : include;
    }

    public List<String> getExclude() {
        return exclude == null ? List.of() : exclude;
    }

    /** When true, the backup plans and reports but uploads nothing. */
    public boolean isDryRun() {
        return dryRun;
    }

    /** When true, an existing blob counts as unchanged only if its MD5 equals the file's (not size and mtime). */
    public boolean isCompareContent() {
        return compareContent;
    }

    /** This request with {@code rootDirectory} replaced (the starter stores the canonical path). */
    public BackupRequest withRootDirectory(String root) {
        return new BackupRequest(root, container, blobPrefix, include, exclude, dryRun, compareContent);
    }

    /** This request with the container and prefix filled in where they are missing. */
    public BackupRequest withDefaults(String defaultContainer) {
        return new BackupRequest(rootDirectory,
                container == null ? defaultContainer : container,
                blobPrefix == null ? BlobNames.defaultPrefix(rootDirectory) : blobPrefix,
                include, exclude, dryRun, compareContent);
    }

    /**
     * Checks everything that can be checked without I/O; throws IllegalArgumentException naming the field.
     * Whether the root exists and is allowed is checked by the starter and again by {@code GetFileList}.
     */
    public BackupRequest validate() {
        if (rootDirectory == null || rootDirectory.isBlank()) {
            throw new IllegalArgumentException("rootDirectory is required and must not be blank");
        }
        BlobNames.checkContainer("container", container);
        BlobNames.checkPrefix("blobPrefix", blobPrefix);
        PathFilter.of(getInclude(), getExclude());
        return this;
    }

    /** The filter made of this request's include and exclude patterns. */
    public PathFilter filter() {
        return PathFilter.of(getInclude(), getExclude());
    }

    @Override
    public String toString() {
        return "BackupRequest{rootDirectory=" + rootDirectory + ", container=" + container + ", blobPrefix="
                + blobPrefix + ", include=" + getInclude() + ", exclude=" + getExclude() + ", dryRun=" + dryRun
                + ", compareContent=" + compareContent + "}";
    }
}
