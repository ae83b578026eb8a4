package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.config.BackupAccount;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.InstanceIds;
import com.contoso.sitebackup.standin.stack.BridgeProcess;
import com.contoso.sitebackup.standin.stack.StandIn;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.DurableClients;
import com.contoso.sitebackup.testing.EndToEndTest;
import com.contoso.sitebackup.testing.Trees;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.NewOrchestrationInstanceOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 item 2 on the packaged app and the durabletask-go engine: workers of two backup accounts on one task hub
 * (two local runs that shared one engine) never put a run's files in the other's account, and no run ends COMPLETED
 * over a file that did not land in its own account. The starter stamps each request with its account; a worker of
 * another account refuses the run's listing, and cannot find its plan for a batch, so nothing of the run is written
 * where it does not belong.
 */
@EndToEndTest
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SharedHubOnSidecarIT {
    @TempDir
    Path work;

    /**
     * A backup stamped for account A, on a hub whose only worker has account B: the worker refuses it, naming both
     * accounts, and neither account gets a blob. On code without the check the worker backs the tree up into B and
     * the run ends COMPLETED.
     */
    @Test
    void backupForAnotherAccount_onlyWorkerOfAnother_refusedAndNothingWrittenAnywhere() throws Exception {
        try (LocalStack stack = LocalStack.start(work); Azurite accountA = Azurite.startInMemory();
             DurableTaskClient engine = DurableClients.client(stack.sidecar)) {
            Path site = stack.root.resolve("site");
            Trees.mixed(site, 40, 0, 21);
            String account = BackupAccount.of(accountA.client());
            BackupRequest request = new BackupRequest(site.toString(), "shared", "site", null, null, false, false,
                    null).withCodeVersion(CodeVersion.CURRENT).withAccount(account);
            String id = engine.scheduleNewOrchestrationInstance("BackupSiteContent",
                    new NewOrchestrationInstanceOptions().setInput(request)
                            .setInstanceId(InstanceIds.backup("shared", "site")));

            JsonNode status = stack.awaitEnd(id, Duration.ofMinutes(3));

            JsonNode progress = status.get("customStatus");
            System.out.println("[e2e] a backup for another account on a worker of its own: "
                    + progress.path("phase").asText() + ": " + progress.path("message").asText());
            assertNotEquals("COMPLETED", progress.path("phase").asText(), status.toString());
            assertTrue(status.toString().contains(account), "names the run's account: " + status);
            assertEquals(0, blobs(stack.azurite.client().getBlobContainerClient("shared"), "site"),
                    "the worker wrote the other account's backup into its own");
            assertFalse(accountA.client().getBlobContainerClient("shared").exists(), "nothing reached account A");
        }
    }

    /**
     * Two workers of two accounts on one hub, each account's backup started through its own worker's starter, at
     * once: whichever worker runs each activity, no account holds a blob of the other's backup, and a run that ends
     * COMPLETED has its whole tree in its own account.
     */
    @Test
    void twoAccountsOnOneHub_backupsAtOnce_nothingCrossesAndCompletedMeansComplete() throws Exception {
        try (LocalStack stack = LocalStack.start(work); Azurite accountA = Azurite.startInMemory()) {
            Path treeA = stack.root.resolve("site-a");
            Path treeB = stack.root.resolve("site-b");
            Trees.mixed(treeA, 600, 0, 31);
            Trees.mixed(treeB, 600, 0, 32);
            BridgeProcess bridgeA = BridgeProcess.start(Path.of(System.getProperty("functionAppDir")),
                    stack.sidecar.address(), Map.of(
                            "BackupStorage", accountA.connectionString(),
                            "BACKUP_READ_ROOTS", stack.root.toString(),
                            "BACKUP_WRITE_ROOTS", stack.root.toString(),
                            "LC_ALL", "C.UTF-8",
                            "TASK_HUB_NAME", "E2EHub"), work.resolve("bridge-a"));
            try (bridgeA) {
                String idA = start(bridgeA.baseUri(), "{\"rootDirectory\":" + StandIn.json(treeA.toString())
                        + ",\"container\":\"shared\",\"blobPrefix\":\"a\"}");
                String idB = stack.start("BackupSiteContent", Map.of("rootDirectory", treeB.toString(),
                        "container", "shared", "blobPrefix", "b"));
                JsonNode a = stack.awaitEnd(idA, Duration.ofMinutes(4)).get("customStatus");
                JsonNode b = stack.awaitEnd(idB, Duration.ofMinutes(4)).get("customStatus");
                System.out.println("[e2e] two accounts on one hub: A " + a.path("phase").asText() + " ("
                        + a.path("message").asText() + "), B " + b.path("phase").asText() + " ("
                        + b.path("message").asText() + ")");

                BlobContainerClient inA = accountA.client().getBlobContainerClient("shared");
                BlobContainerClient inB = stack.azurite.client().getBlobContainerClient("shared");
                assertEquals(0, blobs(inB, "a"), "A's backup wrote into account B");
                assertEquals(0, blobs(inA, "b"), "B's backup wrote into account A");
                if (a.path("phase").asText().equals("COMPLETED")) {
                    TreeCheck.assertBlobsHoldFiles(treeA, inA, "a");
                }
                if (b.path("phase").asText().equals("COMPLETED")) {
                    TreeCheck.assertBlobsHoldFiles(treeB, inB, "b");
                }
            }
        }
    }

    /** POSTs a backup to the starter at {@code base}; asserts 202 and answers the instance id. */
    private static String start(URI base, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base.resolve("/orchestrators/BackupSiteContent")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        return StandIn.read(response.body()).get("id").asText();
    }

    private static long blobs(BlobContainerClient container, String prefix) {
        if (!container.exists()) {
            return 0;
        }
        return container.listBlobs(new ListBlobsOptions().setPrefix(prefix + "/"), null).stream().count();
    }
}
