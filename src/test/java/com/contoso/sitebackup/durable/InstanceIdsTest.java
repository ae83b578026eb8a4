package com.contoso.sitebackup.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceIdsTest {

    @Test
    void job_name_prefixedAndReadBack() {
        assertEquals("job-nightly", InstanceIds.job("nightly"));
        assertEquals(Optional.of("nightly"), InstanceIds.jobOf(InstanceIds.job("nightly")));
    }

    @Test
    void jobOf_childOfAJob_theJobsName() {
        assertEquals(Optional.of("web_2"), InstanceIds.jobOf("job-web_2:1767225600000:backup"));
        assertEquals(Optional.of("web_2"), InstanceIds.jobOf("job-web_2:1767225600000:backup:1767225601000:3"));
    }

    @Test
    void jobOf_notAJob_empty() {
        for (String id : List.of("backup-0123", "4f1c0b7e3a5d4e0c9b8a7f6e5d4c3b2a", "job-", "job-:1", "jobs-x", "")) {
            assertEquals(Optional.empty(), InstanceIds.jobOf(id), id);
        }
        assertEquals(Optional.empty(), InstanceIds.jobOf(null));
    }

    @Test
    void backup_sameTarget_sameIdWhateverTheCall() {
        assertEquals(InstanceIds.backup("backups", "mounts/site"), InstanceIds.backup("backups", "mounts/site"));
    }

    @Test
    void backup_otherContainerOrPrefix_otherId() {
        String id = InstanceIds.backup("backups", "mounts/site");
        assertNotEquals(id, InstanceIds.backup("archive", "mounts/site"));
        assertNotEquals(id, InstanceIds.backup("backups", "mounts/site2"));
        assertNotEquals(id, InstanceIds.backup("backups", "Mounts/site"));
    }

    @Test
    void kinds_sameTarget_distinctIdsOfSafeCharacters() {
        List<String> ids = List.of(InstanceIds.backup("backups", "tmp/ü #?/site"), InstanceIds.verify("backups", "tmp/ü #?/site"),
                InstanceIds.restore("/tmp/ü #?/site"), InstanceIds.retention("backups", "tmp/ü #?/site"));
        assertEquals(4, ids.stream().distinct().count());
        for (String id : ids) {
            assertTrue(id.matches("(backup|verify|restore|retention)-[0-9a-f]{32}"), id);
        }
    }
}
