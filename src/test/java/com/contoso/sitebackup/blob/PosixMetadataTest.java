package com.contoso.sitebackup.blob;

import com.contoso.sitebackup.fs.EntryType;
import com.contoso.sitebackup.fs.FileEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keys and formats are AzCopy's, as {@code common/unixStatAdapter.go} writes and reads them (Azure/
 * azure-storage-azcopy at 24d6ce25f3a7124935bb09b37ef77a8fb4ffdbc7). The lines relied on:
 * <pre>
 *   POSIXFolderMeta        = "hdi_isfolder"
 *   POSIXSymlinkMeta       = "is_symlink"
 *   POSIXOwnerMeta         = "posix_owner"
 *   POSIXGroupMeta         = "posix_group"
 *   POSIXModeMeta          = "permissions"
 *   POSIXModTimeMeta       = "modtime"
 *   // writing (AddStatToBlobMetadata, standard style)
 *   TryAddMetadata(metadata, POSIXOwnerMeta, strconv.FormatUint(uint64(s.Owner()), 10))
 *   TryAddMetadata(metadata, POSIXGroupMeta, strconv.FormatUint(uint64(s.Group()), 10))
 *   TryAddMetadata(metadata, POSIXModeMeta, strconv.FormatUint(uint64(s.FileMode()), 10))
 *   TryAddMetadata(metadata, POSIXModTimeMeta, strconv.FormatInt(s.MTime().UnixNano(), 10))
 *   S_IFDIR:  POSIXFolderMeta,   S_IFLNK:  POSIXSymlinkMeta,   ...   TryAddMetadata(metadata, metaToApply, "true")
 *   // reading (ReadStatFromMetadata)
 *   o, err := strconv.ParseUint(*owner, 10, 32)
 *   if strings.HasPrefix(*modeStr, "0") { amlfsStyle = true }   ...   modeBase = 8
 *   m, err := strconv.ParseUint(*modeStr, modeBase, 32)
 *   mt, err := strconv.ParseInt(*mtime, 10, 64)
 * </pre>
 */
class PosixMetadataTest {
    private static final long NANOS = 1_700_000_000_123_456_789L;

    @Test
    void constants_areAzCopysKeys() {
        assertEquals(List.of("modtime", "permissions", "posix_owner", "posix_group", "is_symlink", "hdi_isfolder"),
                List.of(PosixMetadata.MODTIME, PosixMetadata.PERMISSIONS, PosixMetadata.OWNER, PosixMetadata.GROUP,
                        PosixMetadata.SYMLINK, PosixMetadata.FOLDER));
    }

    @Test
    void of_regularFile_decimalNanosWholeModeAndIds() {
        FileEntry file = new FileEntry("a.txt", 5, 0).withAttributes(EntryType.FILE, NANOS, 0644, 1234L, 5678L, null);

        assertEquals(Map.of("modtime", "1700000000123456789", "permissions", "33188", "posix_owner", "1234",
                "posix_group", "5678"), PosixMetadata.of(file));
    }

    @Test
    void of_folderAndLink_typeBitsInTheModeAndTheirFlag() {
        FileEntry folder = new FileEntry("d", 0, 0).withAttributes(EntryType.DIRECTORY, NANOS, 0755, 0L, 0L, null);
        FileEntry link = new FileEntry("l", 6, 0).withAttributes(EntryType.SYMLINK, NANOS, 0777, 0L, 0L, "target");

        assertEquals(Map.of("modtime", "1700000000123456789", "permissions", Integer.toString(040755),
                "posix_owner", "0", "posix_group", "0", "hdi_isfolder", "true"), PosixMetadata.of(folder));
        assertEquals("16877", PosixMetadata.of(folder).get("permissions"));
        assertEquals(Map.of("modtime", "1700000000123456789", "permissions", "41471", "posix_owner", "0",
                "posix_group", "0", "is_symlink", "true"), PosixMetadata.of(link));
    }

    @Test
    void of_entryWithoutAttributes_onlyTheTimeFromItsMilliseconds() {
        assertEquals(Map.of("modtime", "1600000000123000000"),
                PosixMetadata.of(new FileEntry("a.txt", 5, 1_600_000_000_123L)));
    }

    @Test
    void read_whatOfWrote_theSameTypeAndAttributes() {
        for (FileEntry entry : List.of(
                new FileEntry("a.txt", 5, 0).withAttributes(EntryType.FILE, NANOS, 0640, 4294967294L, 1L, null),
                new FileEntry("d", 0, 0).withAttributes(EntryType.DIRECTORY, -1_000_000_001L, 0700, 0L, 0L, null),
                new FileEntry("l", 6, 0).withAttributes(EntryType.SYMLINK, NANOS, 0777, 7L, 8L, null))) {
            assertEquals(entry, PosixMetadata.read(entry.getPath(), PosixMetadata.of(entry), entry.getSize(), 0),
                    entry.getPath());
        }
    }

    @Test
    void read_amlfsOctalPermissionsWithALeadingZero_readAsOctal() {
        FileEntry read = PosixMetadata.read("a", Map.of("permissions", "0644"), 1, 0);
        assertEquals(0644, read.getMode());
        assertEquals(0755, PosixMetadata.read("a", Map.of("permissions", "0100755"), 1, 0).getMode());
        assertEquals(0, PosixMetadata.read("a", Map.of("permissions", "0"), 1, 0).getMode());
        assertNull(PosixMetadata.read("a", Map.of("permissions", "0648"), 1, 0).getMode(), "8 is no octal digit");
    }

    @Test
    void read_keysInAnotherCase_foundAsTheServiceTreatsThem() {
        Map<String, String> metadata = Map.of("ModTime", "1000000", "Permissions", "33261", "POSIX_OWNER", "12",
                "Posix_Group", "34", "Is_Symlink", "TRUE");
        FileEntry read = PosixMetadata.read("l", metadata, 3, 0);
        assertEquals(new FileEntry("l", 3, 1).withAttributes(EntryType.SYMLINK, 1_000_000L, 0755, 12L, 34L, null),
                read);
    }

    @Test
    void read_noPosixKeys_aRegularFileWithTheGivenTimeAndNoAttributes() {
        FileEntry read = PosixMetadata.read("a.txt", Map.of("sourcemtime", "5"), 42, 1_600_000_000_000L);
        assertEquals(new FileEntry("a.txt", 42, 1_600_000_000_000L), read);
        assertEquals(EntryType.FILE, read.getEntryType());
    }

    @Test
    void read_folderFlag_aFolder() {
        assertEquals(EntryType.DIRECTORY,
                PosixMetadata.read("d", Map.of("hdi_isfolder", "true"), 0, 0).getEntryType());
        assertEquals(EntryType.FILE, PosixMetadata.read("d", Map.of("hdi_isfolder", "false"), 0, 0).getEntryType());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"posix_owner|-1", "posix_owner|4294967296", "posix_owner|+5",
            "posix_owner|12a", "posix_owner|''", "posix_owner|99999999999999999999999", "posix_group|0x10",
            "posix_group|' 7'", "permissions|-420", "permissions|4294967296", "permissions|1e3",
            "permissions|٣٣١٨٨"})
    void read_idOrModeThatDoesNotParse_null(String key, String value) {
        FileEntry read = PosixMetadata.read("a", Map.of(key, value), 1, 7);
        Object parsed = switch (key) {
            case "permissions" -> read.getMode();
            case "posix_owner" -> read.getUid();
            default -> read.getGid();
        };
        assertNull(parsed, key + "=" + value);
        assertEquals(7, read.getLastModified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "-", "12.5", "2023-01-02T03:04:05Z", "9223372036854775808", " 1"})
    void read_modtimeThatDoesNotParse_nullAndTheGivenTime(String modtime) {
        FileEntry read = PosixMetadata.read("a", Map.of("modtime", modtime), 1, 7);
        assertNull(read.getModtimeNanos());
        assertEquals(7, read.getLastModified());
    }

    @Test
    void read_signedModtime_asGoParsesIt() {
        assertEquals(5L, PosixMetadata.read("a", Map.of("modtime", "+5"), 1, 0).getModtimeNanos());
        assertEquals(-1_500_000L, PosixMetadata.read("a", Map.of("modtime", "-1500000"), 1, 0).getModtimeNanos());
        assertEquals(-2, PosixMetadata.read("a", Map.of("modtime", "-1500000"), 1, 0).getLastModified());
        assertEquals(Long.MAX_VALUE,
                PosixMetadata.read("a", Map.of("modtime", "9223372036854775807"), 1, 0).getModtimeNanos());
    }

    @Test
    void read_nullMetadataOrNegativeLength_throwsNamingIt() {
        assertEquals("metadata", assertThrows(NullPointerException.class,
                () -> PosixMetadata.read("a", null, 1, 0)).getMessage());
        Map<String, String> none = new HashMap<>();
        assertThrows(IllegalArgumentException.class, () -> PosixMetadata.read("a", none, -1, 0));
    }
}
