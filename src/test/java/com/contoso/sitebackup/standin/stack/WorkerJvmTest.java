package com.contoso.sitebackup.standin.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WorkerJvmTest {
    @Test
    void options_withoutJavaOpts_theJavaWorkersOwn() {
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true"),
                WorkerJvm.options(Map.of("LC_ALL", "C.UTF-8")));
        assertEquals(WorkerJvm.WORKER_ARGUMENTS, WorkerJvm.options(Map.of(WorkerJvm.JAVA_OPTS, "  ")));
    }

    @Test
    void options_javaOpts_appendedAfterTheWorkersOwn_splitAtWhiteSpace() {
        List<String> options = WorkerJvm.options(Map.of(WorkerJvm.JAVA_OPTS, " -Xms64m \t-XX:+UseSerialGC "));
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-Xms64m", "-XX:+UseSerialGC"), options, "JAVA_OPTS last, so it can override the worker's own");
    }
}
