package com.contoso.sitebackup.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The summary of one snapshot, as its manifest's header line and its blob metadata hold it: its
 * {@linkplain SnapshotIds id}, the backup it belongs to ({@code container}, {@code prefix}), the directory
 * that was backed up, the orchestration instance that ran it, when it started and completed (ISO-8601 text, or
 * null when not known) and what it holds: {@code files} (regular files, each name of a file with several),
 * {@code directories}, {@code links} (symbolic links), {@code specials} (named pipes and device nodes),
 * {@code bytes} (the regular files' sizes, summed, a file with several names once) and {@code missing} (entries, of
 * any type, whose content the run could not store; they are counted by type too).
 *
 * <p>Immutable; Jackson reads it through its constructor, Gson by its fields. The constructor checks nothing, so
 * whatever an activity returns reads back (an unreadable result would leave an orchestration waiting forever);
 * {@link SnapshotStore#create} checks what it writes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SnapshotInfo {
    private final String id;
    private final String container;
    private final String prefix;
    private final String rootDirectory;
    private final String instanceId;
    private final String started;
    private final String completed;
    private final long files;
    private final long directories;
    private final long links;
    private final long bytes;
    private final long missing;
    private final long specials;

    /** A summary of a snapshot without named pipes or devices. */
    public SnapshotInfo(String id, String container, String prefix, String rootDirectory, String instanceId,
                        String started, String completed, long files, long directories, long links, long bytes,
                        long missing) {
        this(id, container, prefix, rootDirectory, instanceId, started, completed, files, directories, links, bytes,
                missing, 0);
    }

    @JsonCreator
    public SnapshotInfo(@JsonProperty("id") String id,
                        @JsonProperty("container") String container,
                        @JsonProperty("prefix") String prefix,
                        @JsonProperty("rootDirectory") String rootDirectory,
                        @JsonProperty("instanceId") String instanceId,
                        @JsonProperty("started") String started,
                        @JsonProperty("completed") String completed,
                        @JsonProperty("files") long files,
                        @JsonProperty("directories") long directories,
                        @JsonProperty("links") long links,
                        @JsonProperty("bytes") long bytes,
                        @JsonProperty("missing") long missing,
                        @JsonProperty("specials") long specials) {
        this.id = id;
        this.container = container;
        this.prefix = prefix;
        this.rootDirectory = rootDirectory;
        this.instanceId = instanceId;
        this.started = started;
        this.completed = completed;
        this.files = files;
        this.directories = directories;
        this.links = links;
        this.bytes = bytes;
        this.missing = missing;
        this.specials = specials;
    }

    /** This summary with other counts (the writer's, once it has seen every entry). */
    public SnapshotInfo withCounts(long fileCount, long directoryCount, long linkCount, long byteCount,
                                   long missingCount) {
        return withCounts(fileCount, directoryCount, linkCount, byteCount, missingCount, specials);
    }

    /** This summary with other counts, named pipes and devices included. */
    public SnapshotInfo withCounts(long fileCount, long directoryCount, long linkCount, long byteCount,
                                   long missingCount, long specialCount) {
        return new SnapshotInfo(id, container, prefix, rootDirectory, instanceId, started, completed, fileCount,
                directoryCount, linkCount, byteCount, missingCount, specialCount);
    }

    public String getId() {
        return id;
    }

    public String getContainer() {
        return container;
    }

    /** The blob prefix of the backup; empty for a backup at the container's root. */
    public String getPrefix() {
        return prefix;
    }

    public String getRootDirectory() {
        return rootDirectory;
    }

    public String getInstanceId() {
        return instanceId;
    }

    /** When the run started (ISO-8601), or null. */
    public String getStarted() {
        return started;
    }

    /** When the run completed (ISO-8601), or null. */
    public String getCompleted() {
        return completed;
    }

    public long getFiles() {
        return files;
    }

    public long getDirectories() {
        return directories;
    }

    public long getLinks() {
        return links;
    }

    public long getBytes() {
        return bytes;
    }

    public long getMissing() {
        return missing;
    }

    /** Named pipes and device nodes (no content: made again by a restore). */
    public long getSpecials() {
        return specials;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotInfo s && Objects.equals(s.id, id) && Objects.equals(s.container, container)
                && Objects.equals(s.prefix, prefix) && Objects.equals(s.rootDirectory, rootDirectory)
                && Objects.equals(s.instanceId, instanceId) && Objects.equals(s.started, started)
                && Objects.equals(s.completed, completed) && s.files == files && s.directories == directories
                && s.links == links && s.bytes == bytes && s.missing == missing && s.specials == specials;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, container, prefix, rootDirectory, instanceId, started, completed, files, directories,
                links, bytes, missing, specials);
    }

    @Override
    public String toString() {
        return "snapshot " + id + " of " + container + "/" + prefix + " (" + files + " files, " + bytes + " bytes)";
    }
}
