package com.contoso.sitebackup.security;

import com.contoso.sitebackup.durable.BatchOutcome;
import com.contoso.sitebackup.durable.BatchWork;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.ManifestStore;
import com.contoso.sitebackup.durable.TestManifests;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileProblem;
import com.contoso.sitebackup.restore.DirectoryRestorer;
import com.contoso.sitebackup.restore.RestoreJob;
import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.Settings;
import com.contoso.sitebackup.durable.FanOutSummary;
import com.contoso.sitebackup.durable.FileOutcome;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.fs.SecureDirectory;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.restore.FinishDirectories;
import com.contoso.sitebackup.restore.RestoreBlobToFile;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.testing.HandMadeSnapshot;

import com.azure.storage.blob.BlobServiceClient;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 1: set-uid root files from a work item. The Java worker binds activity inputs with Gson, which
 * sets final fields without running the {@code @JsonCreator} constructor, so {@code FileEntry}'s 0..0777 check never
 * ran: {@code RestoreBlobToFile} with {@code entry.mode 2541} (04755) and {@code uid 0} produced
 * {@code -rwsr-xr-x root:root}, and 5 of 6 set-id and sticky modes were applied. Here each mode goes in as the
 * worker binds it (Gson), through the activities and the primitives, on real temp trees and Azurite: the files and
 * folders get the nine permission bits only (counts printed), unless the operator allows set-id bits
 * ({@code BACKUP_RESTORE_SETID_BITS}) and the app runs as root. Ids and modes out of range are refused at use.
 */
@AzuriteTest
@Timeout(120)
class SetIdModeAttackTest {
    /** Set-uid, set-gid, both, sticky, all twelve bits, set-uid on an owner-only file: 2541 is 04755 in decimal. */
    private static final int[] MODES = {04755, 02755, 06755, 01755, 07777, 04700};
    private static final long T = 1_700_000_000_123_456_789L;

    private final BlobServiceClient blobs = Azurite.shared().client();
    private final String container = "setid-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;
    private Path root;
    private HandMadeSnapshot snapshot;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        snapshot = new HandMadeSnapshot(blobs, container, "site", BackupApp.MANIFEST_CONTAINER);
    }

    /** {@code entry} as JSON, its mode, uid and gid replaced by raw numbers, bound by Gson as the worker binds it. */
    private static JsonObject forged(FileEntry entry, long mode, long uid, long gid) {
        JsonObject json = new Gson().toJsonTree(entry).getAsJsonObject();
        json.addProperty("mode", mode);
        json.addProperty("uid", uid);
        json.addProperty("gid", gid);
        return json;
    }

    /**
     * Restores the forged {@code entries} (raw JSON, as a forged manifest would hold them) into {@code target} with
     * {@code activity}, one batch; the outcome as the activity answers it.
     */
    private BatchOutcome restore(RestoreBlobToFile activity, AppServices services, Path target, List<JsonObject> entries)
            throws IOException {
        List<JsonNode> raw = new ArrayList<>();
        for (JsonObject entry : entries) {
            raw.add(Wire.JSON.readTree(entry.toString()));
        }
        String manifest = TestManifests.writeOneBatch(ManifestStore.from(services), new RestoreJob(target.toString(),
                container, "site", "20261126T100000.000Z", true, null), raw);
        return Wire.read(activity.run(Wire.write(new BatchWork(CodeVersion.CURRENT, manifest, BatchWork.whole(0, 1), 1,
                false))), BatchOutcome.class, "outcome");
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static List<Object> owner(Path path) throws IOException {
        return List.of(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    private static AppServices services(BlobServiceClient blobs, Path root, boolean setIdBits) {
        return AppServices.of(Settings.of(Map.of(Settings.BACKUP_READ_ROOTS, root.toString(),
                Settings.BACKUP_WRITE_ROOTS, root.toString(),
                Settings.BACKUP_MANIFEST_CONTAINER, BackupApp.MANIFEST_CONTAINER,
                Settings.BACKUP_RESTORE_SETID_BITS, Boolean.toString(setIdBits))), blobs);
    }

    /** The attack: RestoreBlobToFile with a Gson-bound entry of mode 2541 (04755) and uid 0, six modes. */
    @Test
    void restoreBlobToFile_gsonBoundSetIdModesAndUidZero_onlyPermissionBitsApplied() throws IOException {
        List<FileEntry> files = new ArrayList<>();
        for (int mode : MODES) {
            files.add(snapshot.file("tool-" + Integer.toOctalString(mode), "#!/bin/sh\nid\n", 0755, T));
        }
        Path target = root.resolve("restored");
        AppServices services = BackupApp.services(blobs, root, 500);
        List<JsonObject> forgedEntries = new ArrayList<>();
        for (int i = 0; i < MODES.length; i++) {
            forgedEntries.add(forged(files.get(i), MODES[i], 0, 0));
        }
        BatchOutcome outcome = restore(new RestoreBlobToFile(services), services, target, forgedEntries);
        List<FileProblem> problems = outcome.problems();
        int applied = 0;
        List<String> found = new ArrayList<>();
        for (int i = 0; i < MODES.length; i++) {
            Path file = target.resolve(files.get(i).getPath());
            int mode = mode(file);
            applied += (mode & 07000) != 0 ? 1 : 0;
            found.add(Integer.toOctalString(MODES[i]) + "->" + Integer.toOctalString(mode));
        }
        System.out.printf("RestoreBlobToFile, Gson-bound entries with set-id and sticky modes and uid 0: %d tries,"
                + " %d set-id or sticky modes applied (%s)%n", MODES.length, applied, found);
        assertEquals(List.of(), problems);
        assertEquals(0, applied);
        for (int i = 0; i < MODES.length; i++) {
            Path file = target.resolve(files.get(i).getPath());
            assertEquals(MODES[i] & 0777, mode(file), file + " from " + Integer.toOctalString(MODES[i]));
            if (SecureDirectory.canSetOwner()) {
                assertEquals(List.of(0, 0), owner(file), "owners are given back as root");
            }
        }
    }

    /** The same modes as folders of a forged manifest, through FinishDirectories: folders get 0755-style modes only. */
    @Test
    void finishDirectories_forgedManifestWithSetIdFolderModes_onlyPermissionBitsApplied() throws IOException {
        Gson gson = new Gson();
        for (int mode : MODES) {
            FileEntry folder = new FileEntry("dir-" + Integer.toOctalString(mode), 0, 0)
                    .withAttributes(com.contoso.sitebackup.fs.EntryType.DIRECTORY, T, 0755, 0L, 0L, null);
            snapshot.raw(gson.fromJson(forged(folder, mode, 0, 0), FileEntry.class));
        }
        snapshot.commit("20261126T100000.000Z");
        Path target = root.resolve("folders");

        FanOutSummary summary = DirectoryRestorer.from(BackupApp.services(blobs, root, 500)).finish(
                new RestoreRequest(container, "site", target.toString(), false, null, null, null)
                        .withSnapshot("20261126T100000.000Z"), null);

        assertEquals(0, summary.problemCount(), summary.problems().toString());
        int applied = 0;
        for (int mode : MODES) {
            int now = mode(target.resolve("dir-" + Integer.toOctalString(mode)));
            applied += (now & 07000) != 0 ? 1 : 0;
            assertEquals(mode & 0777, now, "folder of mode " + Integer.toOctalString(mode));
        }
        System.out.printf("FinishDirectories, forged folder modes: %d folders, %d set-id or sticky modes applied%n",
                MODES.length, applied);
        assertEquals(0, applied);
    }

    /**
     * The primitive itself, as any caller reaches it: a Gson-bound entry's mode is masked, out-of-range modes and
     * ids are refused before anything is set; with the operator's setting (and as root) the set-id bits are given.
     */
    @Test
    void setAttributes_gsonBoundEntries_maskedOrRefusedAtUse_setIdOnlyWhenTheOperatorAllows() throws IOException {
        Gson gson = new Gson();
        Path file = Files.writeString(root.resolve("f"), "x");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        FileEntry recorded = new FileEntry("f", 1, 0).withAttributes(com.contoso.sitebackup.fs.EntryType.FILE, T, 0644,
                null, null, null);
        SecureRoots plain = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of());
        try (SecureDirectory d = plain.openOrCreate("targetDirectory", root.toString())) {
            d.setAttributes(Path.of("f"), gson.fromJson(forged(recorded, 04755, 0, 0), FileEntry.class));
            assertEquals(0755, mode(file));
            int refused = 0;
            for (JsonObject bad : List.of(forged(recorded, -1, 0, 0), forged(recorded, 010000, 0, 0),
                    forged(recorded, 0644, -1, 0), forged(recorded, 0644, 0, 1L << 32),
                    forged(recorded, 0644, 0xFFFF_FFFFL, 0))) {
                FileEntry entry = gson.fromJson(bad, FileEntry.class);
                assertThrows(IllegalArgumentException.class, () -> d.setAttributes(Path.of("f"), entry), bad.toString());
                refused++;
            }
            JsonObject negativeSize = forged(recorded, 0644, 0, 0);
            negativeSize.addProperty("size", -5);
            assertThrows(IllegalArgumentException.class,
                    () -> d.setAttributes(Path.of("f"), gson.fromJson(negativeSize, FileEntry.class)));
            assertEquals(0755, mode(file), "nothing set by a refused entry");
            System.out.printf("setAttributes: set-uid masked to %o; %d entries with ids or modes out of range refused%n",
                    mode(file), refused + 1);
        }
        assumeTrue(SecureDirectory.canSetOwner(), "set-id bits are given back only as root");
        SecureRoots allowing = SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(root), List.of(), true);
        try (SecureDirectory d = allowing.openOrCreate("targetDirectory", root.toString())) {
            d.setAttributes(Path.of("f"), gson.fromJson(forged(recorded, 04755, 0, 0), FileEntry.class));
        }
        assertEquals(04755, mode(file), "BACKUP_RESTORE_SETID_BITS=true, as root: the recorded set-uid bit");
        AppServices allowingServices = services(blobs, root, true);
        FileEntry tool = snapshot.file("tool", "#!/bin/sh\n", 0755, T);
        BatchOutcome restored = restore(new RestoreBlobToFile(allowingServices), allowingServices,
                root.resolve("allowed"), List.of(forged(tool, 06755, 0, 0)));
        assertEquals(1, restored.filesDone(), restored.toString());
        assertEquals(06755, mode(root.resolve("allowed/tool")));
    }
}
