package com.contoso.sitebackup.standin.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One function of the packaged app as its {@code <function>/function.json} describes it to the host: the jar,
 * the entry point ({@code class.method}) and the bindings. Nothing here comes from the app's classes.
 */
public record PackagedFunction(String name, Path scriptFile, String className, String methodName,
                               List<JsonNode> bindings) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PackagedFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scriptFile, "scriptFile");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(methodName, "methodName");
        bindings = List.copyOf(bindings);
    }

    /** Reads {@code folder/function.json}; the folder's name is the function's name, as for the host. */
    public static PackagedFunction read(Path folder) {
        Path file = folder.resolve("function.json");
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String entryPoint = text(json, "entryPoint", file);
        int dot = entryPoint.lastIndexOf('.');
        if (dot <= 0 || dot == entryPoint.length() - 1) {
            throw new IllegalArgumentException("entryPoint in " + file + " is not class.method: " + entryPoint);
        }
        List<JsonNode> bindings = new ArrayList<>();
        json.path("bindings").forEach(bindings::add);
        return new PackagedFunction(folder.getFileName().toString(),
                folder.resolve(text(json, "scriptFile", file)).normalize(),
                entryPoint.substring(0, dot), entryPoint.substring(dot + 1), bindings);
    }

    /** The trigger binding's type ({@code orchestrationTrigger}, {@code activityTrigger}, {@code httpTrigger}...). */
    public String triggerType() {
        return trigger().path("type").asText();
    }

    /** The trigger binding: the one input binding whose type ends with {@code Trigger}. */
    public JsonNode trigger() {
        return bindings.stream().filter(b -> b.path("type").asText().endsWith("Trigger")).findFirst()
                .orElseThrow(() -> new IllegalStateException("function " + name + " has no trigger binding"));
    }

    /** The name of the first binding of {@code type}, if there is one. */
    public Optional<String> bindingName(String type) {
        return bindings.stream().filter(b -> type.equals(b.path("type").asText()))
                .map(b -> b.path("name").asText()).findFirst();
    }

    private static String text(JsonNode json, String field, Path file) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(file + " has no " + field);
        }
        return value.asText();
    }
}
