package com.contoso.sitebackup.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.verify.VerifyRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sidecar engine's start bodies hold a request's set user fields only, never a stamped one. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SidecarEngineBodyTest {
    @Test
    void body_keepsTheSetUserFields_dropsStampedNullAndFalse() {
        VerifyRequest verify = new VerifyRequest("/data/site", "backups", "data/site", null, null, true, "r.jsonl")
                .withCodeVersion(7).withAccount("acct");
        assertEquals("{\"rootDirectory\":\"/data/site\",\"container\":\"backups\",\"blobPrefix\":\"data/site\","
                + "\"include\":[],\"exclude\":[],\"compareContent\":true}", SidecarEngine.body(verify).toString());

        RestoreRequest restore = new RestoreRequest("backups", "data/site", "/data/out", false, null);
        assertEquals(List.of("container", "blobPrefix", "targetDirectory"),
                iterable(SidecarEngine.body(restore).fieldNames()));

        BackupRequest backup = BackupRequest.of("/data/site").withDefaults("backups").withCodeVersion(3);
        assertEquals(false, SidecarEngine.body(backup).has("codeVersion"));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
