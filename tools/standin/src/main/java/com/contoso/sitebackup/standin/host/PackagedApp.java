package com.contoso.sitebackup.standin.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The packaged function app ({@code target/azure-functions/<app>/}) run the way the Azure Functions Java
 * worker runs it, for tests and for the {@link SidecarBridge}: a stand-in for the worker, not the product.
 *
 * <ul>
 *   <li>Only the packaged folder is loaded: the jar named by {@code function.json}'s {@code scriptFile} and every
 *       jar of {@code lib/}, in a class loader of their own whose parent holds only what the worker provides
 *       ({@link WorkerClasses}). A dependency missing from {@code lib/} fails here as it would on the host.</li>
 *   <li>Functions are found from {@code <function>/function.json} (entry point and bindings), never from the
 *       app's classes, so this code does not change when the app's packages do.</li>
 *   <li>Every invocation goes through the middlewares that {@code lib/} registers with {@link ServiceLoader}
 *       (the Durable extension's {@code OrchestrationMiddleware}), then the function ({@link Invocation}).</li>
 *   <li>Orchestrators take and answer base64 protobuf ({@code OrchestratorRequest}/{@code OrchestratorResponse}),
 *       as the Durable extension exchanges them with the worker. Activities take their input JSON as the
 *       extension hands it over (a JSON string value as its text, anything else as JSON text) and bind it with
 *       the worker's Gson; their return value goes back as the worker's Gson JSON.</li>
 * </ul>
 * Instances are safe to use from several threads: each call has its own invocation state.
 */
public final class PackagedApp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path appDir;
    private final WorkerClasses worker;
    private final URLClassLoader appLoader;
    private final Map<String, PackagedFunction> functions;
    private final Map<String, Method> entryPoints = new TreeMap<>();
    private final List<Object> middlewares = new ArrayList<>();
    private final Object instanceInjector;

    private PackagedApp(Path appDir) {
        this.appDir = appDir;
        this.functions = readFunctions(appDir);
        this.worker = new WorkerClasses();
        this.appLoader = new URLClassLoader("function-app", appUrls(appDir, functions), worker.loader);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(appLoader);
        try {
            ServiceLoader.load(worker.middleware, appLoader).forEach(middlewares::add);
            Iterator<?> injectors = ServiceLoader.load(worker.instanceInjector, appLoader).iterator();
            instanceInjector = injectors.hasNext() ? injectors.next() : null;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        for (PackagedFunction function : functions.values()) {
            entryPoints.put(function.name(), entryPoint(function));
        }
    }

    /** Loads the packaged app in {@code appDir}: its functions, its jars and the middlewares of its lib/. */
    public static PackagedApp load(Path appDir) {
        if (!Files.isDirectory(appDir.resolve("lib"))) {
            throw new IllegalArgumentException("appDir " + appDir + " has no lib/: is it the package goal's output?");
        }
        return new PackagedApp(appDir.toAbsolutePath().normalize());
    }

    /** Every function of the app by name, as its function.json folders describe them. */
    public Map<String, PackagedFunction> functions() {
        return functions;
    }

    /** The names of the functions whose trigger is of {@code triggerType}. */
    public List<String> functionsTriggeredBy(String triggerType) {
        return functions.values().stream().filter(f -> f.triggerType().equals(triggerType))
                .map(PackagedFunction::name).toList();
    }

    /** The class names of the middlewares found in lib/ (the Durable extension registers one). */
    public List<String> middlewareNames() {
        return middlewares.stream().map(m -> m.getClass().getName()).toList();
    }

    /** The packaged host.json. */
    public JsonNode hostJson() {
        try {
            return JSON.readTree(appDir.resolve("host.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read host.json of " + appDir, e);
        }
    }

    /**
     * Runs one orchestrator episode: {@code base64Request} is an {@code OrchestratorRequest}, the answer an
     * {@code OrchestratorResponse}, both base64 as on the host-worker channel.
     */
    public String runOrchestrator(String name, String base64Request) throws InvocationFailure {
        PackagedFunction function = function(name, "orchestrationTrigger");
        Object result = invoke(function, Map.of(function.trigger().path("name").asText(), base64Request), Map.of());
        if (!(result instanceof String response)) {
            throw new IllegalStateException("orchestrator " + name + " answered " + result + ", not a base64"
                    + " OrchestratorResponse: no middleware in lib/ ran it (found " + middlewareNames() + ")");
        }
        return response;
    }

    /**
     * Runs an activity with {@code inputJson} (the activity's serialized input, may be null) and answers its
     * result as JSON.
     */
    public String runActivity(String name, String inputJson) throws InvocationFailure {
        PackagedFunction function = function(name, "activityTrigger");
        Map<String, Object> values = new LinkedHashMap<>();
        String input = activityInput(inputJson);
        if (input != null) {
            values.put(function.trigger().path("name").asText(), input);
        }
        return worker.toJson(invoke(function, values, Map.of()));
    }

    /**
     * Runs an HTTP-triggered function on {@code call}; {@code inputs} are the other input bindings' values by
     * binding name (for a {@code durableClient} binding, the JSON the extension sends).
     */
    public HttpResult runHttp(String name, HttpCall call, Map<String, String> inputs) throws InvocationFailure {
        PackagedFunction function = function(name, "httpTrigger");
        String requestBinding = function.trigger().path("name").asText();
        Parameter requestParameter = Stream.of(entryPoints.get(name).getParameters())
                .filter(p -> requestBinding.equals(Invocation.bindingName(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has no parameter for binding " + requestBinding));
        Map<String, Object> values = new LinkedHashMap<>(inputs);
        values.put(requestBinding, request(call, requestBody(call.body(), Invocation.typeArgument(requestParameter))));
        Map<String, String> metadata = new LinkedHashMap<>(call.query());
        metadata.putAll(call.routeParameters());
        Object result = invoke(function, values, metadata);
        if (result == null || !Proxy.isProxyClass(result.getClass())
                || !(Proxy.getInvocationHandler(result) instanceof ResponseHandler response)) {
            throw new IllegalStateException(name + " answered " + result + ", not a response built from its request");
        }
        return response.result();
    }

    /**
     * Runs a timer-triggered function on {@code timerJson} (the timer information the host sends);
     * {@code inputs} are the other input bindings' values by binding name, as for {@link #runHttp}.
     */
    public void runTimer(String name, String timerJson, Map<String, String> inputs) throws InvocationFailure {
        PackagedFunction function = function(name, "timerTrigger");
        Map<String, Object> values = new LinkedHashMap<>(inputs);
        values.put(function.trigger().path("name").asText(), timerJson);
        invoke(function, values, Map.of());
    }

    private Object invoke(PackagedFunction function, Map<String, Object> values, Map<String, String> metadata)
            throws InvocationFailure {
        Method method = entryPoints.get(function.name());
        Callable<Object> instance = () -> newInstance(method.getDeclaringClass());
        try {
            return new Invocation(worker, function.name(), method, instance, values, metadata)
                    .run(middlewares, appLoader);
        } catch (Exception | LinkageError e) {
            // LinkageError: a class missing from lib/ (NoClassDefFoundError) fails the invocation, as on the worker.
            throw new InvocationFailure(function.name(), e);
        }
    }

    private Object newInstance(Class<?> type) throws Exception {
        if (instanceInjector != null) {
            Method getInstance = worker.instanceInjector.getMethod("getInstance", Class.class);
            return getInstance.invoke(instanceInjector, type);
        }
        return type.getConstructor().newInstance();
    }

    private PackagedFunction function(String name, String triggerType) {
        PackagedFunction function = functions.get(name);
        if (function == null) {
            throw new IllegalArgumentException("the app has no function named '" + name + "'; it has "
                    + functions.keySet());
        }
        if (!function.triggerType().equals(triggerType)) {
            throw new IllegalArgumentException("function " + name + " is triggered by " + function.triggerType()
                    + ", not " + triggerType);
        }
        return function;
    }

    private Method entryPoint(PackagedFunction function) {
        Class<?> type;
        try {
            type = Class.forName(function.className(), false, appLoader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("entry point class of " + function.name() + " is not in the package: "
                    + function.className(), e);
        }
        List<Method> candidates = Stream.of(type.getMethods())
                .filter(m -> m.getName().equals(function.methodName()) && !Modifier.isStatic(m.getModifiers()))
                .toList();
        if (candidates.size() != 1) {
            throw new IllegalStateException(function.className() + " has " + candidates.size() + " public methods named "
                    + function.methodName() + "; the worker needs exactly one");
        }
        return candidates.get(0);
    }

    /**
     * An activity's input as the Durable extension passes it to the worker: a JSON string value as its text,
     * any other JSON as the JSON text itself.
     */
    private static String activityInput(String inputJson) {
        if (inputJson == null || inputJson.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(inputJson);
            return node.isTextual() ? node.asText() : inputJson;
        } catch (IOException e) {
            throw new IllegalArgumentException("activity input is not JSON: " + WorkerClasses.abbreviate(inputJson), e);
        }
    }

    private Object requestBody(String body, Type type) {
        if (type instanceof java.lang.reflect.ParameterizedType p && p.getRawType() == Optional.class) {
            return Optional.ofNullable(body);
        }
        if (body == null || type == String.class || type == Object.class) {
            return body;
        }
        return worker.fromJson(body, type);
    }

    private Object request(HttpCall call, Object body) {
        InvocationHandler handler = (proxy, m, args) -> switch (m.getName()) {
            case "getUri" -> call.uri();
            case "getHttpMethod" -> httpMethod(call.method());
            case "getHeaders" -> call.headers();
            case "getQueryParameters" -> call.query();
            case "getBody" -> body;
            case "createResponseBuilder" -> Proxy.newProxyInstance(worker.loader,
                    new Class<?>[] {worker.httpResponseBuilder}, new ResponseHandler(worker, args[0]));
            default -> Invocation.objectMethod(proxy, m, args);
        };
        return Proxy.newProxyInstance(worker.loader, new Class<?>[] {worker.httpRequest}, handler);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object httpMethod(String method) {
        return Enum.valueOf((Class<? extends Enum>) worker.httpMethod, method.toUpperCase(java.util.Locale.ROOT));
    }

    /** Both the response builder and the response it builds, as the worker's own response type is. */
    private static final class ResponseHandler implements InvocationHandler {
        private final WorkerClasses worker;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Object status;
        private Object body;

        ResponseHandler(WorkerClasses worker, Object status) {
            this.worker = worker;
            this.status = status;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "status":
                    status = args[0];
                    return proxy;
                case "header":
                    headers.put((String) args[0], (String) args[1]);
                    return proxy;
                case "body":
                    body = args[0];
                    return proxy;
                case "build":
                    return Proxy.newProxyInstance(worker.loader, new Class<?>[] {worker.httpResponse}, this);
                case "getStatus":
                    return status;
                case "getStatusCode":
                    return statusCode();
                case "getHeader":
                    return headers.get((String) args[0]);
                case "getBody":
                    return body;
                default:
                    return Invocation.objectMethod(proxy, m, args);
            }
        }

        private int statusCode() throws ReflectiveOperationException {
            return (int) worker.httpStatusType.getMethod("value").invoke(status);
        }

        HttpResult result() {
            String text;
            if (body == null) {
                text = "";
            } else if (body instanceof String s) {
                text = s;
            } else if (body instanceof byte[] bytes) {
                text = new String(bytes, StandardCharsets.UTF_8);
            } else {
                text = worker.toJson(body);
            }
            try {
                return new HttpResult(statusCode(), headers, text);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, PackagedFunction> readFunctions(Path appDir) {
        Map<String, PackagedFunction> functions = new TreeMap<>();
        try (Stream<Path> children = Files.list(appDir)) {
            children.filter(p -> Files.isRegularFile(p.resolve("function.json")))
                    .map(PackagedFunction::read).forEach(f -> functions.put(f.name(), f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + appDir, e);
        }
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("no <function>/function.json under " + appDir);
        }
        return java.util.Collections.unmodifiableMap(functions);
    }

    private static URL[] appUrls(Path appDir, Map<String, PackagedFunction> functions) {
        List<URL> urls = new ArrayList<>();
        try {
            for (PackagedFunction function : functions.values()) {
                URL jar = function.scriptFile().toUri().toURL();
                if (!Files.isRegularFile(function.scriptFile())) {
                    throw new IllegalArgumentException("scriptFile of " + function.name() + " does not exist: "
                            + function.scriptFile());
                }
                if (!urls.contains(jar)) {
                    urls.add(jar);
                }
            }
            try (Stream<Path> lib = Files.list(appDir.resolve("lib"))) {
                for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + appDir.resolve("lib"), e);
        }
        return urls.toArray(URL[]::new);
    }

    @Override
    public void close() {
        try {
            appLoader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            worker.close();
        }
    }
}
