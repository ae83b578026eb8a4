package com.contoso.sitebackup.standin.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How often the runner looks at a run's status: soon after a short run ends, twice a second during a long one. */
class PollIntervalTest {
    @Test
    void pollInterval_growsWithTheRunFromATenthOfASecondToHalfASecond() {
        assertEquals(Duration.ofMillis(100), SiteBackupRunner.pollInterval(Duration.ZERO));
        assertEquals(Duration.ofMillis(100), SiteBackupRunner.pollInterval(Duration.ofMillis(900)));
        assertEquals(Duration.ofMillis(250), SiteBackupRunner.pollInterval(Duration.ofMillis(2_500)));
        assertEquals(Duration.ofMillis(500), SiteBackupRunner.pollInterval(Duration.ofSeconds(5)));
        assertEquals(Duration.ofMillis(500), SiteBackupRunner.pollInterval(Duration.ofDays(6)));
    }
}
