package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.fs.FileEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A manifest's bytes read as a stream: the header, the entries, and what is not a manifest. */
class SnapshotReaderTest {
    private static final SnapshotInfo INFO = TestSnapshots.info("20261126T125533.123Z", "backups", "p").withCounts(2, 0, 0, 3, 0);

    private static byte[] gzip(String... members) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String member : members) {
            try (GZIPOutputStream gzip = new GZIPOutputStream(all) {
                @Override
                public void close() throws IOException {
                    finish(); // leaves `all` open for the next member
                }
            }) {
                gzip.write(member.getBytes(StandardCharsets.UTF_8));
            }
        }
        return all.toByteArray();
    }

    private static SnapshotReader reader(byte[] bytes) {
        return new SnapshotReader("test.jsonl.gz", new ByteArrayInputStream(bytes));
    }

    @Test
    void next_headerThenEntriesInTwoGzipMembers_readInOrderThenNoSuchElement() throws IOException {
        String entries = "{\"path\":\"a\",\"size\":1,\"lastModified\":5}\n{\"path\":\"b\",\"size\":2,\"lastModified\":6}\n";
        try (SnapshotReader reader = reader(gzip(SnapshotStore.headerLine(INFO), entries))) {
            assertEquals(INFO, reader.info());
            assertEquals(new FileEntry("a", 1, 5), reader.next());
            assertTrue(reader.hasNext());
            assertEquals(new FileEntry("b", 2, 6), reader.next());
            assertFalse(reader.hasNext());
            assertThrows(NoSuchElementException.class, reader::next);
        }
    }

    @Test
    void constructor_notGzip_uncheckedIoNamingTheManifest() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> reader("plain text".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("test.jsonl.gz"), e.getMessage());
    }

    @Test
    void constructor_emptyOrOtherFormat_illegalStateNamingTheManifest() throws IOException {
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> reader(gzip("")));
        assertTrue(empty.getMessage().contains("test.jsonl.gz is empty"), empty.getMessage());
        IllegalStateException format = assertThrows(IllegalStateException.class,
                () -> reader(gzip("{\"format\":3,\"snapshot\":{}}\n")));
        assertTrue(format.getMessage().contains("format 1 or 2 (it is of format 3, written by a newer release)"),
                format.getMessage());
    }

    /** Issue 26: format 1 manifests (before pipes, hard links, extended attributes) are still read, and say so. */
    @Test
    void constructor_formatOneOrTwo_readWithTheirFormat() throws IOException {
        for (int format : new int[] {1, 2}) {
            try (SnapshotReader reader = reader(gzip("{\"format\":" + format + ",\"snapshot\":{\"id\":\"x\"}}\n"
                    + "{\"path\":\"a.txt\",\"size\":1,\"lastModified\":2}\n"))) {
                assertEquals(format, reader.format());
                assertEquals("a.txt", reader.nextLine().entry().getPath());
            }
        }
    }

    /**
     * Issue 23, item 6: through {@link SnapshotReader#nextLine}, each line on its own: a line that is not JSON, an
     * entry without a path, a negative size and times a file system cannot hold are problems naming the line (and
     * the path when there is one); the entries around them come back checked.
     */
    @Test
    void nextLine_badLinesAmongEntries_eachAProblemNamingItsLineTheOthersEntries() throws IOException {
        String lines = String.join("\n",
                "{\"path\":\"a\",\"size\":1,\"lastModified\":5}",
                "not json at all",
                "{\"size\":3,\"lastModified\":5}",
                "{\"path\":\"neg\",\"size\":-1,\"lastModified\":5}",
                "{\"path\":\"late\",\"size\":1,\"lastModified\":5,\"modtimeNanos\":9223372036854775807}",
                "{\"path\":\"early\",\"size\":1,\"lastModified\":-9223372036854775808}",
                "{\"path\":\"ids\",\"size\":1,\"lastModified\":5,\"uid\":-1}",
                "{\"path\":\"bad\\u000aname\",\"size\":1,\"lastModified\":5,\"mode\":65535}",
                "{\"path\":\"b\",\"size\":2,\"lastModified\":6,\"mode\":1377}") + "\n";
        try (SnapshotReader reader = reader(gzip(SnapshotStore.headerLine(INFO), lines))) {
            List<SnapshotReader.Line> read = new java.util.ArrayList<>();
            for (SnapshotReader.Line line = reader.nextLine(); line != null; line = reader.nextLine()) {
                read.add(line);
            }
            assertEquals(9, read.size());
            assertEquals(new FileEntry("a", 1, 5), read.get(0).entry());
            assertEquals(2, read.get(0).number());
            assertEquals(new FileEntry("b", 2, 6, null, null, null, 02541, null, null, null, null, null),
                    read.get(8).entry(), "set-id bits are recorded as read; what is applied is the restore's choice");
            assertTrue(read.subList(1, 8).stream().noneMatch(SnapshotReader.Line::isEntry));
            assertEquals(null, read.get(1).entry(), "not an entry at all");
            assertEquals("late", read.get(4).entry().getPath(), "read, unchecked, to tell what it is");
            List<String> problems = read.subList(1, 8).stream().map(l -> l.problem().getPath() + ": "
                    + l.problem().getReason()).toList();
            assertTrue(problems.get(0).startsWith("(manifest line 3): manifest line 3 not an entry: "), problems.get(0));
            assertTrue(problems.get(1).startsWith("(manifest line 4): manifest line 4 not an entry: "), problems.get(1));
            assertTrue(problems.get(2).startsWith("neg: manifest line 5 not an entry: "), problems.get(2));
            assertTrue(problems.get(3).startsWith("late: manifest line 6 out of range: 'late': modtimeNanos"
                    + " 9223372036854775807 ns is outside what a file system holds"), problems.get(3));
            assertTrue(problems.get(4).startsWith("early: manifest line 7 out of range: 'early': lastModified"),
                    problems.get(4));
            assertTrue(problems.get(5).contains("uid and gid must be from 0 to 4294967294"), problems.get(5));
            assertTrue(problems.get(6).startsWith("bad\\u000Aname: manifest line 9 not an entry: "), problems.get(6));
            assertTrue(problems.stream().allMatch(p -> p.endsWith("; this entry only is skipped")), problems.toString());
            assertTrue(problems.stream().noneMatch(p -> p.contains("\n")), problems.toString());
        }
    }

    @Test
    void hasNext_aLineThatIsNotAnEntry_illegalStateNamingTheLine() throws IOException {
        try (SnapshotReader reader = reader(gzip(SnapshotStore.headerLine(INFO),
                "{\"path\":\"a\",\"size\":1,\"lastModified\":5}\n{\"size\":-1}\n"))) {
            reader.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, reader::hasNext);
            assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        }
    }
}
