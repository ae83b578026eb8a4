package com.contoso.sitebackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.backup.BackupRequest;
import com.contoso.sitebackup.durable.RequestSchema;
import com.contoso.sitebackup.restore.RestoreRequest;
import com.contoso.sitebackup.retention.RetentionRequest;
import com.contoso.sitebackup.verify.VerifyRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's request field tables name the fields a user may send, as the request types declare them
 * ({@link RequestSchema}): every user field in a row, no row for another, and "required" in the default column
 * exactly for the required ones.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class ReadmeRequestTablesTest {
    private static final Path README = Path.of("README.md");

    /** Each README section with a request's field table, and the request type it documents. */
    private static final Map<String, Class<?>> TABLES = Map.of(
            "## Start a backup and follow it", BackupRequest.class,
            "## Restore a backup", RestoreRequest.class,
            "## Verify a backup against its source", VerifyRequest.class,
            "### Retention", RetentionRequest.class);

    @Test
    void requestTables_listEveryUserFieldAndNoOther_requiredAsTheSchemaSays() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Class<?>> table : TABLES.entrySet()) {
            problems(section(table.getKey()), RequestSchema.of(table.getValue())).forEach(problem -> problems.add(
                    "README " + table.getKey() + " vs " + table.getValue().getSimpleName() + ": " + problem));
        }
        assertEquals(List.of(), problems);
    }

    /**
     * What differs between the first {@code | field | default | meaning |} table of {@code section} and
     * {@code schema}: a field with no row, a row with no field, a required word that is wrong. Empty when they agree.
     */
    public static List<String> problems(String section, List<RequestSchema.Field> schema) {
        Map<String, Boolean> rows = rows(section);
        List<String> problems = new ArrayList<>();
        for (RequestSchema.Field field : schema) {
            Boolean required = rows.remove(field.name());
            if (required == null) {
                problems.add(field.name() + " is missing from the table");
            } else if (required != field.required()) {
                problems.add(field.name() + (field.required() ? " is required, and the table gives a default"
                        : " is optional, and the table says required"));
            }
        }
        rows.keySet().forEach(name -> problems.add(name + " is in the table and is no field a user may send"));
        return problems;
    }

    /** The table's fields (a row may name several), each with whether its default column says "required". */
    private static Map<String, Boolean> rows(String section) {
        int header = section.indexOf("| field | default | meaning |");
        assertTrue(header >= 0, "a field table in " + section.lines().findFirst().orElse(""));
        Map<String, Boolean> rows = new LinkedHashMap<>();
        Pattern name = Pattern.compile("`([A-Za-z]+)`");
        for (String line : section.substring(header).lines().skip(2).toList()) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            boolean required = cells[2].trim().equals("required");
            Matcher names = name.matcher(cells[1]);
            while (names.find()) {
                rows.put(names.group(1), required);
            }
        }
        return rows;
    }

    /** The README from the heading {@code from} (of any level) up to the next second-level heading. */
    public static String section(String from) throws IOException {
        String text = Files.readString(README);
        int start = text.indexOf("\n" + from + "\n");
        assertTrue(start >= 0, "README has a heading " + from);
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
