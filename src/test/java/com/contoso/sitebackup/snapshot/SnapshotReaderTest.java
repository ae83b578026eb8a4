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
                () -> reader(gzip("{\"format\":2,\"snapshot\":{}}\n")));
        assertTrue(format.getMessage().contains("format 1"), format.getMessage());
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
