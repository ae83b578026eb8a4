package com.contoso.sitebackup.standin.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.ReadmeRequestTablesTest;
import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.durable.RequestField;
import com.contoso.sitebackup.durable.RequestSchema;
import com.contoso.sitebackup.durable.Wire;
import com.contoso.sitebackup.fs.SecureRoots;
import com.contoso.sitebackup.starter.StartRequestHandler;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Issue 25's proof: a request field is one annotated component. A backup request with one more field,
 * {@code newOption}, defined here and nowhere else, is bound by the starter's binding, offered by the runner and
 * missed by the README's table check, without a change to any of them: each takes the schema as it is given.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NewRequestFieldTest {
    /** BackupRequest's user fields, and one more. The other components are stamped: a user may not send them. */
    record BackupWithNewOption(
            @RequestField(help = "the folder", path = true, required = true) String rootDirectory,
            @RequestField(help = "the container", label = "NAME") String container,
            @RequestField(help = "the prefix", label = "PREFIX") String blobPrefix,
            @RequestField(help = "only paths that match", label = "GLOB") List<String> include,
            @RequestField(help = "leave out paths that match", label = "GLOB") List<String> exclude,
            @RequestField(help = "change nothing", options = {"--dry-run", "-n"}) boolean dryRun,
            @RequestField(help = "compare by content") boolean compareContent,
            @RequestField(help = "the new option of this test") boolean newOption,
            String run,
            int codeVersion) {
    }

    private static final List<RequestSchema.Field> SCHEMA = RequestSchema.of(BackupWithNewOption.class);

    @Test
    void starterBinding_acceptsAndBindsTheNewField_refusesUnknownAndStampedOnes() throws Exception {
        BackupWithNewOption bound = RequestSchema.bind(BackupWithNewOption.class, SCHEMA,
                Wire.JSON.readTree("{\"rootDirectory\": \"/site\", \"newOption\": true, \"include\": [\"*.html\"]}"));
        assertTrue(bound.newOption());
        assertEquals(List.of("*.html"), bound.include());
        for (String refused : List.of("{\"rootDirectory\": \"/site\", \"nope\": true}",
                "{\"rootDirectory\": \"/site\", \"run\": \"x\"}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RequestSchema.bind(
                    BackupWithNewOption.class, SCHEMA, Wire.JSON.readTree(refused)));
            assertTrue(e.getMessage().startsWith("Unknown field '"), e.getMessage());
            assertTrue(e.getMessage().contains("newOption"), e.getMessage());
        }
        assertEquals("newOption must be true or false", assertThrows(IllegalArgumentException.class,
                () -> RequestSchema.bind(BackupWithNewOption.class, SCHEMA,
                        Wire.JSON.readTree("{\"rootDirectory\": \"/site\", \"newOption\": \"yes\"}"))).getMessage());
        // The app's own backup request has no such field, and the starter refuses it.
        assertTrue(new StartRequestHandler(SecureRoots.forReading("BACKUP_READ_ROOTS", List.of()),
                SecureRoots.forWriting("BACKUP_WRITE_ROOTS", List.of(), List.of()), "backups", "manifests")
                .decide("BackupSiteContent", "application/json", "{\"rootDirectory\": \"/site\", \"newOption\": true}")
                .message().startsWith("Unknown field 'newOption'"));
        assertTrue(RequestSchema.names(BackupRequest.class).stream().noneMatch("newOption"::equals));
    }

    @Test
    void runner_offersTheNewFieldAsAnOption_andSendsIt() {
        Map<String, List<Map<String, Object>>> schemas = Map.of("BackupSiteContent",
                RequestSchema.describe(BackupWithNewOption.class));
        CommandLine commandLine = Cli.commandLine("site-backup test", schemas);
        assertTrue(commandLine.getSubcommands().get("backup").getCommandSpec().findOption("--new-option") != null);
        Cli.Parsed parsed = Cli.parsed(commandLine.parseArgs("backup", "--root-directory", "site", "--new-option"),
                Path.of("/work/caller"), schemas);
        assertEquals(Map.of("rootDirectory", "/work/caller/site", "newOption", true), parsed.request());
        // The app's schema has no such option.
        assertThrows(CommandLine.ParameterException.class, () -> Cli.commandLine("site-backup test",
                StartRequestHandler.requestSchemas()).parseArgs("backup", "--root-directory", "site", "--new-option"));
    }

    @Test
    void readmeCheck_reportsTheNewFieldMissingFromTheTable() throws Exception {
        String section = ReadmeRequestTablesTest.section("## Start a backup and follow it");
        assertEquals(List.of("newOption is missing from the table"), ReadmeRequestTablesTest.problems(section, SCHEMA));
        assertEquals(List.of(), ReadmeRequestTablesTest.problems(section, RequestSchema.of(BackupRequest.class)));
    }
}
