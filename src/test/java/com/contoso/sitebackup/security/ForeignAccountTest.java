package com.contoso.sitebackup.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.backup.BackupSiteContent;
import com.contoso.sitebackup.backup.GetFileList;
import com.contoso.sitebackup.config.AppServices;
import com.contoso.sitebackup.config.BackupAccount;
import com.contoso.sitebackup.durable.CodeVersion;
import com.contoso.sitebackup.durable.JobPlan;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.harness.BackupApp;
import com.contoso.sitebackup.restore.ListBackup;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.PruneSnapshots;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.retention.RetentionResult;
import com.contoso.sitebackup.starter.StartDecision;
import com.contoso.sitebackup.starter.StartRequestHandler;
import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;
import com.contoso.sitebackup.verify.CompareBackup;
import com.contoso.sitebackup.verify.VerifyPlan;
import com.contoso.sitebackup.verify.VerifyRequest;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 item 2: a worker never works for a backup account other than its own. The starter stamps every request
 * with its backup account; the first activity of each job (the listing of a backup, a restore and a verification,
 * and the pruning of a retention) refuses a request stamped with another account, naming both, before it reads or
 * writes anything: a worker that shares a task hub with another app's (two local runs on one engine) can no longer
 * put one run's files in the other's account and let it end COMPLETED.
 */
@AzuriteTest
class ForeignAccountTest {
    /** Another Azurite's account: same account name, another endpoint. */
    private static final String FOREIGN = "http://127.0.0.1:1/devstoreaccount1";

    @TempDir
    Path tmp;

    private Path allowed;
    private Path site;
    private String container;
    private BlobServiceClient service;
    private AppServices services;

    @BeforeEach
    void setUp() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        site = Files.createDirectories(allowed.resolve("site"));
        Files.writeString(site.resolve("a.txt"), "a");
        service = Azurite.shared().client();
        container = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
        services = BackupApp.services(service, allowed, 100);
    }

    @Test
    void of_accountUrlNormalized_sameForEverySpellingOfOneAccount() {
        String own = BackupAccount.of(service);
        assertFalse(own.endsWith("/"), own);
        assertEquals(own, BackupAccount.of(new BlobServiceClientBuilder().endpoint(own.replace("http:", "HTTP:") + "/")
                .buildClient()));
        assertNull(BackupAccount.mismatch(own, service));
        assertNull(BackupAccount.mismatch(null, service), "an unstamped request is not checked");
        String refusal = BackupAccount.mismatch(FOREIGN, service);
        assertTrue(refusal.contains(FOREIGN) && refusal.contains(own), refusal);
    }

    @Test
    void starter_stampsItsOwnAccount_andRefusesOneFromTheCaller() {
        StartRequestHandler starter = StartRequestHandler.from(services);
        String body = "{\"rootDirectory\":" + Wire.write(site.toString()) + ",\"container\":\"" + container + "\"}";

        StartDecision decision = starter.decide(BackupSiteContent.NAME, "application/json", body);

        assertTrue(decision.isAccepted(), decision.message());
        assertEquals(BackupAccount.of(service), ((BackupRequest) decision.input()).getAccount());
        StartDecision smuggled = starter.decide(BackupSiteContent.NAME, "application/json",
                body.replace("}", ",\"account\":\"" + FOREIGN + "\"}"));
        assertFalse(smuggled.isAccepted(), "the caller never names the account");
        assertEquals(400, smuggled.status());
    }

    @Test
    void backupListing_requestOfAnotherAccount_rejectedWritingNothing() {
        BackupRequest request = new BackupRequest(site.toString(), container, "site", null, null, false, false, null)
                .withCodeVersion(CodeVersion.CURRENT);
        GetFileList listing = new GetFileList(services);

        JobPlan foreign = Wire.read(listing.run(Wire.write(request.withAccount(FOREIGN))), JobPlan.class, "plan");

        assertNotNull(foreign.error(), "a worker listed a backup of another account");
        assertTrue(foreign.error().contains(FOREIGN) && foreign.error().contains(BackupAccount.of(service)),
                foreign.error());
        assertNull(foreign.manifest(), "no manifest written");
        assertFalse(service.getBlobContainerClient(container).exists(), "nothing written to this account");

        JobPlan own = Wire.read(listing.run(Wire.write(request.withAccount(BackupAccount.of(service)))), JobPlan.class,
                "plan");
        assertNull(own.error(), "its own account's backup lists");
        assertEquals(1, own.filesPlanned());
    }

    @Test
    void restoreListing_requestOfAnotherAccount_rejectedNamingBoth() {
        RestoreRequest request = new RestoreRequest(container, "site", allowed.resolve("out").toString(), false, null,
                null, null, CodeVersion.CURRENT);

        JobPlan foreign = Wire.read(new ListBackup(services).run(Wire.write(request.withAccount(FOREIGN))),
                JobPlan.class, "plan");

        assertNotNull(foreign.error(), "a worker restored from another account");
        assertTrue(foreign.error().contains(FOREIGN), foreign.error());
        assertFalse(Files.exists(allowed.resolve("out")), "nothing restored");
        JobPlan own = Wire.read(new ListBackup(services).run(Wire.write(request.withAccount(BackupAccount.of(service)))),
                JobPlan.class, "plan");
        assertFalse(own.error().contains(FOREIGN), "its own account's restore goes on (to no snapshot): "
                + own.error());
    }

    @Test
    void verifyComparison_requestOfAnotherAccount_rejectedNamingBoth() {
        VerifyRequest request = new VerifyRequest(site.toString(), container, "site", null, null, false, null)
                .withCodeVersion(CodeVersion.CURRENT).withAccount(FOREIGN);

        VerifyPlan plan = Wire.read(new CompareBackup(services).run(Wire.write(request)), VerifyPlan.class, "plan");

        assertNotNull(plan.getReport().getError(), "a worker verified against another account");
        assertTrue(plan.getReport().getError().contains(FOREIGN), plan.getReport().getError());
    }

    @Test
    void retention_requestOfAnotherAccount_refusedDeletingNothing() {
        RetentionRequest request = new RetentionRequest(container, "site", 1, 0, 0, false, null)
                .withCodeVersion(CodeVersion.CURRENT).withAccount(FOREIGN);

        RetentionResult result = Wire.read(new PruneSnapshots(services).run(Wire.write(request)),
                RetentionResult.class, "result");

        assertEquals(RetentionResult.Phase.REFUSED, result.getPhase(), result.getMessage());
        assertTrue(result.getMessage().contains(FOREIGN), result.getMessage());
    }
}
