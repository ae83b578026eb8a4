package com.contoso.sitebackup.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads completion events the way the alert rules of infra/app/alerts.bicep read them: a trace whose message
 * starts with {@code SiteBackupCompletion {}, the JSON from the first {@code {}, and the fields the README's
 * "Alerts" table defines, each of its type. The KQL itself cannot run here; this is its reading, in Java.
 */
public final class CompletionEvents {
    /** The prefix the rules match, written out as they write it (not the production constant). */
    public static final String PREFIX = "SiteBackupCompletion {";
    /** Every field of the event, in the README's order. */
    public static final List<String> FIELDS = List.of("v", "kind", "job", "instance", "outcome", "files", "bytes",
            "unchanged", "problems", "durationMs", "reason");

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompletionEvents() {
    }

    /** The events among {@code context}'s records, parsed and checked. */
    public static List<JsonNode> in(RecordingContext context) {
        List<JsonNode> events = new ArrayList<>();
        for (String message : context.messagesStartingWith(PREFIX)) {
            events.add(parse(message));
        }
        return events;
    }

    /** The one event among {@code context}'s records; fails unless there is exactly one. */
    public static JsonNode only(RecordingContext context) {
        List<JsonNode> events = in(context);
        assertEquals(1, events.size(), "one completion event per run: " + events);
        return events.get(0);
    }

    /**
     * Parses a message as the rules do ({@code parse_json(substring(message, indexof(message, "{")))}) and
     * checks every field: present, nothing else, of the type the rules convert it to.
     */
    public static JsonNode parse(String message) {
        assertTrue(message.startsWith(PREFIX), "starts with the prefix the rules match: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        JsonNode event;
        try {
            event = JSON.readTree(message.substring(message.indexOf('{')));
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON after the prefix: " + message, e);
        }
        assertTrue(event.isObject(), message);
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        assertEquals(FIELDS, names, "exactly the README's fields, in its order");
        assertEquals(1, event.get("v").asInt(), "version 1 of the shape");
        assertTrue(Set.of("backup", "restore", "verify").contains(event.get("kind").asText()), message);
        assertTrue(event.get("job").isNull() || event.get("job").isTextual(), message);
        assertTrue(event.get("instance").isTextual() && !event.get("instance").asText().isEmpty(), message);
        assertTrue(Set.of("Succeeded", "CompletedWithProblems", "Failed").contains(event.get("outcome").asText()), message);
        for (String number : List.of("files", "bytes", "unchanged", "problems", "durationMs")) {
            if (!event.get(number).isIntegralNumber() || event.get(number).asLong() < 0) {
                fail(number + " is a whole number >= 0 (the rules read it with tolong): " + message);
            }
        }
        boolean failed = event.get("outcome").asText().equals("Failed");
        assertTrue(failed ? event.get("reason").isTextual() : event.get("reason").isNull(),
                "a reason for Failed, null otherwise: " + message);
        return event;
    }
}
