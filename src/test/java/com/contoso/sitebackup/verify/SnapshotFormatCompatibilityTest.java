package com.contoso.sitebackup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's snapshot format 2 beside format 1: a format-1 manifest line (nine permission bits, none of the new
 * fields) still reads, and a verify against it compares only what format 1 recorded, so a set-uid file, a hard link
 * or extended attributes in today's tree are no difference; against format 2 each is one.
 */
class SnapshotFormatCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NANOS = 1_600_000_000_123_456_789L;

    @Test
    void formatOneLine_readsWithoutTheNewFields() throws Exception {
        FileEntry old = JSON.readValue("{\"path\":\"bin/tool\",\"size\":3,\"lastModified\":1600000000123,"
                + "\"modtimeNanos\":1600000000123456789,\"mode\":493,\"uid\":0,\"gid\":0,\"version\":\"20261206T010203.004Z\"}",
                FileEntry.class);
        old.check();
        assertEquals(0755, old.getMode());
        assertNull(old.getHardLink());
        assertNull(old.getXattrs());
        assertNull(old.getBlob());
        assertEquals("bin/tool", old.blobPath());
    }

    @Test
    void difference_setIdHardLinkAndXattrs_noneAgainstFormatOne_eachAgainstFormatTwo() {
        FileEntry recorded = file("bin/tool", 0755);
        FileEntry here = file("bin/tool", 04755).withHardLink("bin/first")
                .withXattrs(Map.of("user.origin", "c2l0ZQ=="));

        assertNull(SnapshotComparer.difference(here, recorded, false, false), "format 1 recorded none of them");
        assertEquals("mode rwsr-xr-x here, rwxr-xr-x in the snapshot; a hard link to 'bin/first' here, a file of its"
                        + " own in the snapshot; extended attributes differ (1 here, 0 in the snapshot)",
                SnapshotComparer.difference(here, recorded, false, true));
    }

    private static FileEntry file(String path, int mode) {
        return new FileEntry(path, 3, NANOS / 1_000_000).withAttributes(EntryType.FILE, NANOS, mode, 0L, 0L, null);
    }
}
