package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.fs.FileEntry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The files of one manifest slice: the result of {@code ReadManifestSlice}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class FileSlice {
    private final List<FileEntry> files;

    @JsonCreator
    public FileSlice(@JsonProperty("files") List<FileEntry> files) {
        this.files = files == null ? List.of() : List.copyOf(files);
    }

    public List<FileEntry> getFiles() {
        return files == null ? List.of() : files;
    }
}
