package com.contoso.sitebackup.standin.runner;

import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A request field as a runner option: the app's request schema ({@code RequestSchema}, the {@code @RequestField}s
 * of its request types), which the runner reads from the packaged app ({@link #load}) since it does not compile
 * against the app. Nothing about a request field is written in the runner but {@code instanceId}, its own.
 *
 * @param field the field's name in the request body
 * @param kind how the option's value becomes the field's
 * @param label the value's label in the help ({@code DIR}), empty for a switch
 * @param names the option's names, the long one first
 */
record RequestOption(String field, Kind kind, String label, String help, List<String> names, boolean required) {
    /** The app's class whose {@code requestSchemas()} gives each orchestrator's fields. */
    static final String SCHEMAS = "com.contoso.sitebackup.starter.StartRequestHandler";

    /** The status command's field: the runner's own. */
    static final RequestOption INSTANCE_ID = new RequestOption("instanceId", Kind.TEXT, "ID",
            "the instance id a run printed", List.of("--instance-id"), true);

    /** How an option's value becomes a field's (the app's {@code RequestSchema.Kind}). */
    enum Kind {
        /** A path, made absolute against your directory (not resolved through links: the app decides). */
        PATH,
        /** Text as given. */
        TEXT,
        /** Repeatable: a JSON array of strings. */
        LIST,
        /** A flag without a value: true. */
        SWITCH,
        /** A whole number from 0. */
        COUNT
    }

    /** One field as {@code RequestSchema.Field.describe()} gives it. */
    @SuppressWarnings("unchecked")
    static RequestOption of(Map<String, Object> field) {
        return new RequestOption((String) field.get("name"), Kind.valueOf((String) field.get("kind")),
                (String) field.get("label"), (String) field.get("help"), List.copyOf((List<String>) field.get("options")),
                (Boolean) field.get("required"));
    }

    /** This option, not required (for a command that takes the field from another request's schema). */
    RequestOption optional() {
        return new RequestOption(field, kind, label, help, names, false);
    }

    /**
     * Each orchestrator's fields, read from the packaged app in {@code appDir} (its jars, in a loader of their own),
     * or null when there is no packaged app there.
     */
    @SuppressWarnings("unchecked")
    static Map<String, List<Map<String, Object>>> load(Path appDir) {
        Path lib = appDir.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> jars = Stream.concat(Files.list(appDir), Files.list(lib))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + appDir, e);
        }
        try (URLClassLoader loader = new URLClassLoader("app-schema", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Method schemas = Class.forName(SCHEMAS, true, loader).getMethod("requestSchemas");
            return (Map<String, List<Map<String, Object>>>) schemas.invoke(null);
        } catch (ReflectiveOperationException | java.io.IOException | LinkageError e) {
            throw new IllegalStateException("cannot read the request fields of the packaged app in " + appDir + ": "
                    + e, e);
        }
    }
}
