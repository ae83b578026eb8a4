package com.contoso.sitebackup.standin.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Azure Functions Java worker itself provides to a function app, in a class loader of its own: the
 * parent of the app's class loader, as the worker's system class loader is the parent of the loader it
 * builds from the app jar and {@code lib/}.
 *
 * <p>The worker (azure-functions-java-worker 2.x, a shaded jar) relocates its own dependencies under
 * {@code com.microsoft.azure.functions.shaded} except Gson, so an app sees exactly these packages from it:
 * {@code com.microsoft.azure.functions} (the core library: {@code ExecutionContext}, {@code HttpRequestMessage}...),
 * the SPI ({@code ...internal.spi.middleware}, {@code ...spi.inject}) and {@code com.google.gson}, which it also
 * uses to bind inputs and results. The jars are taken from the stand-in's own class path, where its pom pins
 * them; everything else (the SDK, protobuf, gRPC, the blob client) must come from the app's {@code lib/}.
 */
final class WorkerClasses {
    static final String MIDDLEWARE = "com.microsoft.azure.functions.internal.spi.middleware.Middleware";
    static final String MIDDLEWARE_CONTEXT = "com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext";
    static final String MIDDLEWARE_CHAIN = "com.microsoft.azure.functions.internal.spi.middleware.MiddlewareChain";
    static final String INSTANCE_INJECTOR = "com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector";
    static final String EXECUTION_CONTEXT = "com.microsoft.azure.functions.ExecutionContext";
    static final String HTTP_REQUEST = "com.microsoft.azure.functions.HttpRequestMessage";
    static final String HTTP_RESPONSE = "com.microsoft.azure.functions.HttpResponseMessage";
    static final String HTTP_RESPONSE_BUILDER = "com.microsoft.azure.functions.HttpResponseMessage$Builder";
    static final String HTTP_STATUS_TYPE = "com.microsoft.azure.functions.HttpStatusType";
    static final String HTTP_METHOD = "com.microsoft.azure.functions.HttpMethod";

    final URLClassLoader loader;
    final Class<?> middleware;
    final Class<?> middlewareContext;
    final Class<?> middlewareChain;
    final Class<?> instanceInjector;
    final Class<?> executionContext;
    final Class<?> httpRequest;
    final Class<?> httpResponse;
    final Class<?> httpResponseBuilder;
    final Class<?> httpStatusType;
    final Class<?> httpMethod;
    private final Object gson;
    private final Method fromJson;
    private final Method toJson;

    WorkerClasses() {
        List<URL> jars = new ArrayList<>();
        for (String marker : List.of(MIDDLEWARE, EXECUTION_CONTEXT, "com.google.gson.Gson")) {
            URL jar = jarOf(marker);
            if (!jars.contains(jar)) {
                jars.add(jar);
            }
        }
        // Parent: the platform loader, so nothing of the stand-in's class path (the SDK, Jackson...) leaks in.
        loader = new URLClassLoader("functions-worker", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        middleware = load(MIDDLEWARE);
        middlewareContext = load(MIDDLEWARE_CONTEXT);
        middlewareChain = load(MIDDLEWARE_CHAIN);
        instanceInjector = load(INSTANCE_INJECTOR);
        executionContext = load(EXECUTION_CONTEXT);
        httpRequest = load(HTTP_REQUEST);
        httpResponse = load(HTTP_RESPONSE);
        httpResponseBuilder = load(HTTP_RESPONSE_BUILDER);
        httpStatusType = load(HTTP_STATUS_TYPE);
        httpMethod = load(HTTP_METHOD);
        try {
            Class<?> gsonClass = load("com.google.gson.Gson");
            gson = gsonClass.getConstructor().newInstance();
            fromJson = gsonClass.getMethod("fromJson", String.class, Type.class);
            toJson = gsonClass.getMethod("toJson", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the worker's Gson", e);
        }
    }

    /** Binds {@code json} to {@code type} with Gson, as the worker binds a trigger or input value. */
    Object fromJson(String json, Type type) {
        try {
            return fromJson.invoke(gson, json, type);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Gson cannot bind " + abbreviate(json) + " to " + type.getTypeName()
                    + ": " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as JSON, as the worker serializes a function's return value. */
    String toJson(Object value) {
        try {
            return (String) toJson.invoke(gson, value);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Gson cannot serialize a " + value.getClass().getName() + ": "
                    + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the worker's class loader has no " + name, e);
        }
    }

    private static URL jarOf(String className) {
        String resource = className.replace('.', '/') + ".class";
        URL url = WorkerClasses.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(className + " is not on the stand-in's class path: check its pom's"
                    + " dependencies (azure-functions-java-spi, azure-functions-java-core-library, gson)");
        }
        try {
            return ((JarURLConnection) url.openConnection()).getJarFileURL();
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("cannot find the jar of " + url, e);
        }
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
    }

    void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
