package com.contoso.sitebackup.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's {@code verify --read-data}: the request field it sends, and what it needs with it. */
class RunnerOptionsTest {
    private static final Path HERE = Path.of("/work/here");

    @Test
    void verify_readDataWithPrefix_sendsReadDataWithoutARootDirectory() {
        RunnerOptions options = RunnerOptions.parse(List.of("verify", "--read-data", "--blob-prefix", "tmp/site"), HERE);
        assertEquals(Map.of("readData", true, "blobPrefix", "tmp/site"), options.request);
        assertEquals("VerifyBackup", options.orchestrator());
    }

    @Test
    void verify_readDataWithASource_sendsBoth() {
        RunnerOptions options = RunnerOptions.parse(List.of("verify", "--root-directory", "site", "--compare-content",
                "--read-data"), HERE);
        assertEquals(Map.of("rootDirectory", "/work/here/site", "compareContent", true, "readData", true),
                options.request);
    }

    @Test
    void verify_neitherARootDirectoryNorReadDataWithAPrefix_isRefusedNamingBoth() {
        for (List<String> args : List.of(List.of("verify"), List.of("verify", "--read-data"),
                List.of("verify", "--blob-prefix", "p"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunnerOptions.parse(args, HERE), args.toString());
            assertEquals("verify needs --root-directory, or --read-data with --blob-prefix", e.getMessage());
        }
    }
}
