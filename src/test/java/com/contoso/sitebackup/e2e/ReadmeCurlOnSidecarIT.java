package com.contoso.sitebackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.testing.EndToEndTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Quickstart, run by curl (the README's own commands, taken from the README) against the stand-in:
 * make the folder, POST it, read the {@code Location} header, poll it with curl until it answers 200. Only the
 * host ({@code localhost:7071}: the stack's bridge) and the folder ({@code /tmp/site}: under the stack's allowed
 * root) are substituted.
 */
@EndToEndTest
class ReadmeCurlOnSidecarIT {
    private static final Pattern QUICKSTART = Pattern.compile(
            "```bash\\n(mkdir -p /tmp/site[^`]*?curl -i -X POST http://localhost:7071/orchestrators/BackupSiteContent[^`]*?)```");

    @TempDir
    Path work;

    @Test
    void readmeQuickstart_curlPostThenPollLocation_completedWithTheFileInStorage() throws Exception {
        String readme = Files.readString(com.contoso.sitebackup.standin.stack.Project.root().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher quickstart = QUICKSTART.matcher(readme);
        assertTrue(quickstart.find(), "the README's Quickstart has no mkdir + curl -i -X POST block");
        try (LocalStack stack = LocalStack.start(work)) {
            Path site = stack.root.resolve("site");
            String script = quickstart.group(1).replace("/tmp/site", site.toString())
                    .replace("http://localhost:7071", stack.bridge.baseUri().toString());

            String answer = bash(script);

            Matcher location = Pattern.compile("(?im)^Location:\\s*(\\S+)").matcher(answer);
            assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
            assertTrue(location.find(), answer);
            // The 202 body as the worker writes it: its URLs as they are (no = or & escaped by Gson), so the status
            // URL copied from it by hand works, and it is the Location.
            String accepted = answer.substring(answer.indexOf("\n{") + 1);
            assertFalse(accepted.contains("\\u003d") || accepted.contains("\\u0026"), accepted);
            Matcher copied = Pattern.compile("\"statusQueryGetUri\":\"([^\"]+)\"").matcher(accepted);
            assertTrue(copied.find(), accepted);
            assertEquals(location.group(1), copied.group(1), accepted);
            String byHand = bash("curl -s -o /dev/null -w '%{http_code}' '" + copied.group(1) + "'");
            assertTrue(byHand.equals("200") || byHand.equals("202"), "the copied status URL answered " + byHand);
            String status = "";
            String code = "202";
            for (int polls = 0; code.equals("202") && polls < 120; polls++) {
                Thread.sleep(500);
                String out = bash("curl -s -w '\\n%{http_code}' '" + location.group(1) + "'");
                code = out.substring(out.lastIndexOf('\n') + 1);
                status = out.substring(0, out.lastIndexOf('\n'));
            }
            assertEquals("200", code, status);
            JsonNode body = LocalStack.read(status);
            assertEquals("Completed", body.get("runtimeStatus").asText(), status);
            assertEquals("COMPLETED", body.at("/customStatus/phase").asText(), status);
            assertEquals(6, body.get("output").asLong(), status);
            assertEquals("hello\n", stack.azurite.client().getBlobContainerClient("backups")
                    .getBlobClient(site.toString().substring(1) + "/index.html").downloadContent().toString());
        }
    }

    private String bash(String script) throws Exception {
        Path out = Files.createTempFile(work, "curl", ".out");
        Process process = new ProcessBuilder(List.of("bash", "-euo", "pipefail", "-c", script))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), script);
        assertEquals(0, process.exitValue(), script);
        return Files.readString(out).replace("\r\n", "\n");
    }
}
