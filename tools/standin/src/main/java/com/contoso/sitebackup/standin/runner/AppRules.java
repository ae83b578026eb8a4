package com.contoso.sitebackup.standin.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
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
 * The app's own rules, run before anything starts: the packaged app's classes (its jar and {@code lib/}, in a class
 * loader of their own, as the runner will run them) decide a request exactly as its starter will (its
 * {@code StartRequestHandler}, with the read and write roots of the same settings), and name the app's settings.
 * Nothing is copied from the app: a rule that changes there changes here. What is not checked before the start:
 * whether the prefix nests with another backup's (that reads storage; the starter answers it with a 409).
 */
final class AppRules implements AutoCloseable {
    private static final String PACKAGE = "com.contoso.sitebackup.";

    private final URLClassLoader loader;

    private AppRules(URLClassLoader loader) {
        this.loader = loader;
    }

    /** The rules of the packaged app in {@code appDir}. */
    static AppRules of(Path appDir) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> top = Files.list(appDir); Stream<Path> lib = Files.list(appDir.resolve("lib"))) {
            for (Path jar : Stream.concat(top, lib).filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged app " + appDir, e);
        }
        return new AppRules(new URLClassLoader("site-backup-app", jars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader()));
    }

    /** What the starter would answer. */
    record Decision(boolean accepted, int status, String error, String message, String instanceId) {
    }

    /** The names of the app's settings ({@code Settings.NAMES}). */
    @SuppressWarnings("unchecked")
    List<String> settingNames() {
        try {
            return List.copyOf((List<String>) type("config.Settings").getField("NAMES").get(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the packaged app has no Settings.NAMES", e);
        }
    }

    /**
     * What the app's starter answers to {@code body} for {@code orchestrator} under {@code settings} (storage apart);
     * a setting the app refuses (a read root that is not an absolute path...) is a refusal too, with its message.
     */
    Decision decide(String orchestrator, String body, Map<String, String> settings) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Object appSettings = call(type("config.Settings"), null, "of", new Class<?>[] {Map.class}, settings);
            Object services = call(type("config.AppServices"), null, "of",
                    new Class<?>[] {type("config.Settings")}, appSettings);
            Class<?> roots = type("fs.SecureRoots");
            Object handler = type("starter.StartRequestHandler")
                    .getConstructor(roots, roots, String.class, String.class)
                    .newInstance(call(services, "readRoots"), call(services, "writeRoots"),
                            call(appSettings, "backupContainer"), call(appSettings, "manifestContainer"));
            Object decision = call(handler.getClass(), handler, "decide",
                    new Class<?>[] {String.class, String.class, String.class}, orchestrator, "application/json", body);
            boolean accepted = (Boolean) call(decision, "isAccepted");
            String instanceId = accepted ? (String) call(type("starter.SingleRun"), null, "instanceIdFor",
                    new Class<?>[] {Object.class}, call(decision, "input")) : null;
            return new Decision(accepted, (Integer) call(decision, "status"), (String) call(decision, "error"),
                    (String) call(decision, "message"), instanceId);
        } catch (Refusal refusal) {
            return new Decision(false, 400, "invalid_setting", refusal.getMessage(), null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the packaged app's starter cannot be called: " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** An {@link IllegalArgumentException} the app threw: its message says what is wrong. */
    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message);
        }
    }

    private Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(PACKAGE + name, true, loader);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return call(target.getClass(), target, method, new Class<?>[0]);
    }

    private static Object call(Class<?> type, Object target, String method, Class<?>[] parameters, Object... args)
            throws ReflectiveOperationException {
        Method m = type.getMethod(method, parameters);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw new Refusal(refused.getMessage());
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // Nothing left to release that matters.
        }
    }
}
