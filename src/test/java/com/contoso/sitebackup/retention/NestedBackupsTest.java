package com.contoso.sitebackup.retention;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.blob.BlobNames;
import com.contoso.sitebackup.blob.Digests;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobProgress;
import com.contoso.sitebackup.durable.ProblemReport;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.FileEntry;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.harness.DurableHarness;
import com.contoso.sitebackup.harness.HarnessResult;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.restore.RestoreSiteContent;
import com.contoso.sitebackup.snapshot.BackupRegistry;
import com.contoso.sitebackup.snapshot.SnapshotIds;
import com.contoso.sitebackup.snapshot.SnapshotInfo;
import com.contoso.sitebackup.snapshot.SnapshotStore;
import com.contoso.sitebackup.snapshot.SnapshotWriter;
import com.contoso.sitebackup.starter.StartDecision;
import com.contoso.sitebackup.starter.StartRequestHandler;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, item 1, on Azurite with real trees, the app's starter, its backup and restore orchestrations and its
 * retention: retention never touches another backup. Each case is one the issue saw: an empty prefix with force
 * (it deleted all of another backup's blobs), a parent prefix (retention of {@code sites} deleted all of
 * {@code sites/main}'s blobs) and nested default prefixes (a folder's {@code keepLast 1} broke the only snapshot of a
 * separate backup of its subfolder).
 */
@AzuriteTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NestedBackupsTest {
    private static final String JSON_TYPE = "application/json";

    private final BlobServiceClient blobs = Azurite.shared().client();
    private final String container = "nested-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path allowed;

    private Path sites;
    private Path main;

    @BeforeEach
    void trees() throws IOException {
        allowed = allowed.toRealPath();
        sites = Files.createDirectories(allowed.resolve("sites"));
        main = Files.createDirectories(sites.resolve("main"));
        Files.writeString(sites.resolve("a.txt"), "the parent's own file");
        Files.writeString(main.resolve("index.html"), "<h1>main</h1>");
        Files.writeString(main.resolve("style.css"), "h1 { color: red }");
    }

    private AppServices services(String ceiling) {
        return RetentionApp.services(blobs, allowed, ceiling);
    }

    private DurableHarness harness(String ceiling) {
        return RetentionApp.harness(blobs, allowed, ceiling, DurableHarness.Faults.none());
    }

    private StartDecision start(String orchestrator, String body) {
        return StartRequestHandler.from(services("1")).decide(orchestrator, JSON_TYPE, body);
    }

    private BackupRequest backupRequest(Path root, String prefix) {
        return new BackupRequest(root.toString(), container, prefix, null, null, false, false, null)
                .withCodeVersion(CodeVersion.CURRENT);
    }

    private JobProgress backup(Path root, String prefix) throws IOException {
        HarnessResult run = harness("1").run(BackupSiteContent.NAME, backupRequest(root, prefix));
        return Wire.JSON.readValue(run.customStatus(), JobProgress.class);
    }

    private RetentionResult retention(String prefix, String ceiling) throws IOException {
        HarnessResult run = harness(ceiling).run(ApplyRetention.NAME,
                new RetentionRequest(container, prefix, 1, 0, 0, false, null));
        assertEquals("Completed", run.runtimeStatus(), run.failureMessage());
        return Wire.JSON.readValue(run.output(), RetentionResult.class);
    }

    /** Every base blob and blob snapshot in the container, with its ETag: what no refusal may change. */
    private TreeSet<String> stored() {
        TreeSet<String> names = new TreeSet<>();
        for (BlobItem item : blobs.getBlobContainerClient(container).listBlobs(new ListBlobsOptions()
                .setDetails(new BlobListDetails().setRetrieveSnapshots(true)), null)) {
            names.add(item.getName() + (item.getSnapshot() == null ? " " + item.getProperties().getETag()
                    : "@" + item.getSnapshot()));
        }
        return names;
    }

    /** Restores the latest snapshot of {@code prefix} into a new folder and returns its files' text by path. */
    private Map<String, String> restoreLatest(String prefix) throws IOException {
        Path target = allowed.resolve("restored-" + UUID.randomUUID());
        HarnessResult run = harness("1").run(RestoreSiteContent.NAME, new RestoreRequest(container, prefix,
                target.toString(), false, "latest", null, null));
        JobProgress status = Wire.JSON.readValue(run.customStatus(), JobProgress.class);
        assertEquals(JobProgress.Phase.COMPLETED, status.getPhase(), run.customStatus());
        return files(target);
    }

    /** The regular files below {@code root}: relative path and text. */
    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(root.relativize(path).toString(), Files.readString(path));
                }
            }
        }
        return files;
    }

    private static JsonNode body(StartDecision decision) throws IOException {
        return Wire.JSON.readTree(decision.errorBody());
    }

    /**
     * (a) {@code ApplyRetention {"blobPrefix":"","keepLast":1,"force":true}}: refused by the starter (400), refused by
     * the orchestrator itself when started with any input (Durable's own API), nothing deleted; the other backup's
     * latest snapshot restores byte for byte.
     */
    @Test
    void emptyPrefix_retentionRefusedEverywhere_theOtherBackupRestoresByteForByte() throws IOException {
        assertEquals(JobProgress.Phase.COMPLETED, backup(sites, "sites").getPhase());
        TreeSet<String> before = stored();

        StartDecision issue = start(ApplyRetention.NAME, "{\"container\":\"" + container + "\",\"blobPrefix\":\"\","
                + "\"keepLast\":1,\"force\":true}");
        StartDecision noForce = start(ApplyRetention.NAME, "{\"container\":\"" + container + "\",\"blobPrefix\":\"\","
                + "\"keepLast\":1}");
        StartDecision backupAtRoot = start(BackupSiteContent.NAME, "{\"rootDirectory\":\"" + allowed + "\","
                + "\"container\":\"" + container + "\",\"blobPrefix\":\"\"}");
        RetentionResult direct = retention("", "1");

        assertEquals(400, issue.status());
        assertTrue(body(issue).get("message").asText().startsWith("'force' is no longer a retention field"),
                issue.errorBody());
        assertEquals(400, noForce.status());
        assertTrue(body(noForce).get("message").asText().startsWith("blobPrefix must not be empty"), noForce.errorBody());
        assertEquals(400, backupAtRoot.status());
        assertTrue(body(backupAtRoot).get("message").asText().startsWith("blobPrefix must not be empty"),
                backupAtRoot.errorBody());
        assertEquals(RetentionResult.Phase.FAILED, direct.getPhase());
        assertTrue(direct.getMessage().contains("blobPrefix must not be empty"), direct.getMessage());
        assertEquals(before, stored(), "nothing deleted");
        assertEquals(files(sites), restoreLatest("sites"));
        System.out.println("empty prefix: starter " + issue.status() + " and " + noForce.status() + ", orchestrator "
                + direct.getPhase() + "; " + before.size() + " of " + before.size() + " blobs of 'sites' left");
    }

    /** (b) Backups of {@code sites} and {@code sites/main}: whichever comes second is refused, naming the first. */
    @Test
    void nestedPrefixes_theSecondBackupRefusedNamingTheFirst_eitherOrder() throws IOException {
        assertEquals(JobProgress.Phase.COMPLETED, backup(sites, "sites").getPhase());
        TreeSet<String> before = stored();

        StartDecision child = start(BackupSiteContent.NAME, "{\"rootDirectory\":\"" + main + "\",\"container\":\""
                + container + "\",\"blobPrefix\":\"sites/main\"}");
        StartDecision childRetention = start(ApplyRetention.NAME, "{\"container\":\"" + container + "\","
                + "\"blobPrefix\":\"sites/main\",\"keepLast\":1}");
        JobProgress childRun = backup(main, "sites/main"); // as Durable's own HTTP API could start it
        RetentionResult childPruning = retention("sites/main", "1");

        assertEquals(409, child.status(), child.errorBody());
        assertEquals("prefix_conflict", body(child).get("error").asText());
        assertTrue(body(child).get("message").asText().startsWith("blobPrefix 'sites/main' is inside the prefix"
                + " 'sites' of another backup in container '" + container + "'"), child.errorBody());
        assertEquals(409, childRetention.status(), childRetention.errorBody());
        assertEquals(JobProgress.Phase.FAILED, childRun.getPhase());
        assertTrue(childRun.getMessage().contains("blobPrefix 'sites/main' is inside the prefix 'sites'"),
                childRun.getMessage());
        assertEquals(RetentionResult.Phase.REFUSED, childPruning.getPhase());
        assertEquals(before, stored(), "the refused backup wrote nothing, the refused pruning deleted nothing");
        System.out.println("nested, child second: " + child.status() + " " + body(child).get("message").asText());
    }

    /** (b) The other order: {@code sites/main} first, then {@code sites} refused naming it. */
    @Test
    void nestedPrefixes_theParentAfterTheChild_refusedNamingTheChild() throws IOException {
        assertEquals(JobProgress.Phase.COMPLETED, backup(main, "sites/main").getPhase());
        TreeSet<String> before = stored();

        StartDecision parent = start(BackupSiteContent.NAME, "{\"rootDirectory\":\"" + sites + "\","
                + "\"container\":\"" + container + "\",\"blobPrefix\":\"sites\"}");
        StartDecision parentRetention = start(ApplyRetention.NAME, "{\"container\":\"" + container + "\","
                + "\"blobPrefix\":\"sites\",\"keepLast\":1}");
        JobProgress parentRun = backup(sites, "sites");

        assertEquals(409, parent.status(), parent.errorBody());
        assertTrue(body(parent).get("message").asText().startsWith("blobPrefix 'sites' is above the prefix"
                + " 'sites/main' of another backup in container '" + container + "'"), parent.errorBody());
        assertEquals(409, parentRetention.status(), parentRetention.errorBody());
        assertEquals(JobProgress.Phase.FAILED, parentRun.getPhase());
        assertTrue(parentRun.getMessage().contains("blobPrefix 'sites' is above the prefix 'sites/main'"),
                parentRun.getMessage());
        assertEquals(before, stored(), "the refused backup wrote nothing");
        assertEquals(files(main), restoreLatest("sites/main"));
        System.out.println("nested, parent second: " + parent.status() + " " + body(parent).get("message").asText());
    }

    /** The issue's third case: two folders backed up with their default prefixes (their paths) nest too. */
    @Test
    void nestedDefaultPrefixes_theSubfolderRefused() throws IOException {
        String parentPrefix = BlobNames.defaultPrefix(sites.toString());
        assertEquals(JobProgress.Phase.COMPLETED, backup(sites, parentPrefix).getPhase());

        StartDecision child = start(BackupSiteContent.NAME, "{\"rootDirectory\":\"" + main + "\",\"container\":\""
                + container + "\"}");

        assertEquals(409, child.status(), child.errorBody());
        assertTrue(body(child).get("message").asText().contains("is inside the prefix '" + parentPrefix + "'"),
                child.errorBody());
    }

    /**
     * (c) An old nested layout written directly: between two runs of the backup of {@code sites}, a separate backup
     * of {@code sites/main} (its own identity) wrote its content at the same blob names, and a file of its own; the
     * second run of {@code sites} then kept the nested content in blob snapshots (copy on write) as it replaced it.
     * The nested backup's manifest names that content. Retention of {@code sites} is refused naming it; and with the
     * registry aside (a pruner that knows no other backup), at the operator's highest ceiling, it deletes only
     * content of {@code sites}: the nested backup's latest snapshot and the kept snapshot of {@code sites} both
     * restore byte for byte.
     */
    @Test
    void oldNestedLayout_retentionNeverDeletesTheOtherBackupsContent() throws Exception {
        assertEquals(JobProgress.Phase.COMPLETED, backup(sites, "sites").getPhase());
        Thread.sleep(5);
        String nestedRun = SnapshotIds.of(Instant.now());
        TestHistory nested = new TestHistory(blobs, container, "sites/main", BackupApp.MANIFEST_CONTAINER);
        String nestedIdentity = BlobNames.backupId(container, "sites/main");
        Map<String, String> nestedFiles = new TreeMap<>(Map.of(
                "index.html", "<h1>main, as the nested backup saw it</h1>",
                "nested-only.txt", "a file only the nested backup has",
                "style.css", "h1 { color: green }"));
        nestedFiles.forEach((path, text) -> nested.upload(path, text, nestedRun, nestedIdentity));
        Thread.sleep(5);
        Files.writeString(sites.resolve("a.txt"), "the parent's own file, edited");
        Files.writeString(main.resolve("style.css"), "h1 { color: blue }");
        assertEquals(JobProgress.Phase.COMPLETED, backup(sites, "sites").getPhase());
        SnapshotInfo info = new SnapshotInfo(nestedRun, container, "sites/main", main.toString(), "backup-nested",
                SnapshotIds.instantOf(nestedRun).toString(), null, 0, 0, 0, 0, 0);
        try (SnapshotWriter writer = new SnapshotStore(blobs, BackupApp.MANIFEST_CONTAINER).create(info)) {
            for (Map.Entry<String, String> file : nestedFiles.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                writer.add(new FileEntry(file.getKey(), bytes.length, 1_000).withVersion(nestedRun,
                        Base64.getEncoder().encodeToString(Digests.newMd5().digest(bytes))));
            }
            writer.commit();
        }
        assertEquals(nestedFiles, restoreLatest("sites/main"), "the nested backup restores before any pruning");
        TreeSet<String> before = stored();

        RetentionResult refused = retention("sites", "1");

        assertEquals(RetentionResult.Phase.REFUSED, refused.getPhase());
        assertTrue(refused.getMessage().contains("blobPrefix 'sites' is above the prefix 'sites/main'"),
                refused.getMessage());
        assertEquals(before, stored());

        SnapshotPruner registryAside = new SnapshotPruner(blobs, SnapshotStore.from(services("1")),
                new BackupRegistry(blobs, "registry-aside-" + container),
                new ProblemReport(blobs, BackupApp.MANIFEST_CONTAINER), BackupApp.MANIFEST_CONTAINER, 1.0);
        RetentionResult pruned = registryAside.prune(new RetentionRequest(container, "sites", 1, 0, 0, false, null));

        assertEquals(RetentionResult.Phase.COMPLETED, pruned.getPhase(), pruned.getMessage());
        assertTrue(pruned.getSnapshotsDeleted() > 0, "run 1's content of 'sites' went: " + pruned.getDeleted());
        for (var deleted : pruned.getDeleted()) {
            assertFalse(deleted.getReason().contains(nestedRun), "deleted the nested backup's " + deleted);
        }
        Map<String, String> nestedRestored = restoreLatest("sites/main");
        assertEquals(nestedFiles, nestedRestored, "the nested backup's latest snapshot, byte for byte");
        assertEquals(files(sites), restoreLatest("sites"), "the kept snapshot of 'sites', byte for byte");
        System.out.println("old nested layout: retention of 'sites' " + refused.getPhase() + " naming 'sites/main';"
                + " registry aside it deleted " + pruned.getSnapshotsDeleted() + " blob snapshots and "
                + pruned.getBlobsDeleted() + " blobs of 'sites', none of 'sites/main', whose latest snapshot restored "
                + nestedRestored.size() + " of " + nestedFiles.size() + " files byte for byte");
    }
}
