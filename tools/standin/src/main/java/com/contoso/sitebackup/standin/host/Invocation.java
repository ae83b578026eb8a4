package com.contoso.sitebackup.standin.host;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * One invocation of a function, the way the Java worker runs it: the middlewares found in the app's
 * {@code lib/} in order, then the function itself, all sharing one {@code MiddlewareContext}. This class is
 * that context (a proxy of the SPI interface from the worker's loader): the host's values by binding name,
 * the values a middleware puts in their place, and the return value a middleware may replace.
 *
 * <p>Arguments are bound as the worker binds them: a binding's value (a middleware's first, else the host's;
 * a string is bound to a non-string parameter with the worker's Gson), a {@code @BindingName} parameter from
 * the trigger metadata, an {@code ExecutionContext} parameter to this context. The method is called by
 * reflection and its {@link InvocationTargetException} is left as it is, as the worker leaves it: the Durable
 * middleware looks at {@code getCause()} to tell the SDK's control flow from a real failure.
 */
final class Invocation implements InvocationHandler {
    private final WorkerClasses worker;
    private final String functionName;
    private final Method method;
    private final Callable<Object> instance;
    private final Map<String, Object> hostValues;
    private final Map<String, String> triggerMetadata;
    private final Map<String, Object> middlewareValues = new HashMap<>();
    private final String invocationId = UUID.randomUUID().toString();
    private final Logger logger;
    private final Object context;
    private Object returnValue;

    Invocation(WorkerClasses worker, String functionName, Method method, Callable<Object> instance,
               Map<String, Object> hostValues, Map<String, String> triggerMetadata) {
        this.worker = worker;
        this.functionName = functionName;
        this.method = method;
        this.instance = instance;
        this.hostValues = Map.copyOf(hostValues);
        this.triggerMetadata = Map.copyOf(triggerMetadata);
        this.logger = Logger.getLogger("Function." + functionName);
        this.context = Proxy.newProxyInstance(worker.loader, new Class<?>[] {worker.middlewareContext}, this);
    }

    /** Runs the middlewares and the function; answers the return value as the last one to set it left it. */
    Object run(List<Object> middlewares, ClassLoader appLoader) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(appLoader);
        try {
            next(middlewares, 0);
            return returnValue;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void next(List<Object> middlewares, int index) throws Exception {
        if (index == middlewares.size()) {
            execute();
            return;
        }
        Object chain = Proxy.newProxyInstance(worker.loader, new Class<?>[] {worker.middlewareChain},
                (proxy, m, args) -> {
                    if (m.getName().equals("doNext")) {
                        next(middlewares, index + 1);
                        return null;
                    }
                    return objectMethod(proxy, m, args);
                });
        Method invoke = worker.middleware.getMethod("invoke", worker.middlewareContext, worker.middlewareChain);
        try {
            invoke.invoke(middlewares.get(index), context, chain);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        }
    }

    /** The last link: binds the arguments and calls the method (InvocationTargetException left as is). */
    private void execute() throws Exception {
        Parameter[] parameters = method.getParameters();
        Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            arguments[i] = argument(parameters[i]);
        }
        Object target = instance.call();
        returnValue = method.invoke(target, arguments);
    }

    private Object argument(Parameter parameter) {
        String binding = bindingName(parameter);
        if (binding != null) {
            if (middlewareValues.containsKey(binding)) {
                return middlewareValues.get(binding);
            }
            return convert(hostValues.get(binding), parameter, "binding '" + binding + "'");
        }
        String metadata = metadataName(parameter);
        if (metadata != null) {
            return convert(triggerMetadata.get(metadata), parameter, "trigger metadata '" + metadata + "'");
        }
        if (parameter.getType().isInstance(context)) {
            return context;
        }
        throw new IllegalStateException("function " + functionName + ": the worker has nothing to bind to parameter "
                + parameter.getName() + " of type " + parameter.getParameterizedType().getTypeName());
    }

    private Object convert(Object value, Parameter parameter, String source) {
        Class<?> raw = parameter.getType();
        if (value == null) {
            if (raw.isPrimitive()) {
                throw new IllegalStateException("function " + functionName + ": no value for " + source
                        + " (primitive parameter " + parameter.getName() + ")");
            }
            return null;
        }
        if (value instanceof String text && raw != String.class) {
            return worker.fromJson(text, parameter.getParameterizedType());
        }
        if (!raw.isInstance(value)) {
            throw new IllegalStateException("function " + functionName + ": " + source + " holds a "
                    + value.getClass().getName() + ", not a " + raw.getName());
        }
        return value;
    }

    /** The {@code name} of a binding annotation ({@code @HttpTrigger(name = "req")}...), or null. */
    static String bindingName(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            if (annotation.annotationType().getSimpleName().equals("BindingName")) {
                continue;
            }
            try {
                Method name = annotation.annotationType().getMethod("name");
                if (name.getReturnType() == String.class) {
                    return (String) name.invoke(annotation);
                }
            } catch (NoSuchMethodException e) {
                // Not a binding annotation.
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    private static String metadataName(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            if (annotation.annotationType().getSimpleName().equals("BindingName")) {
                try {
                    return (String) annotation.annotationType().getMethod("value").invoke(annotation);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    /** The type argument of a parameter such as {@code HttpRequestMessage<Optional<String>>}, or Object. */
    static Type typeArgument(Parameter parameter) {
        Type type = parameter.getParameterizedType();
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                ? p.getActualTypeArguments()[0] : Object.class;
    }

    /** The MiddlewareContext (and ExecutionContext) methods. */
    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "getLogger":
                return logger;
            case "getInvocationId":
                return invocationId;
            case "getFunctionName":
                return functionName;
            case "getParameterName":
                return parameterWithAnnotation((String) args[0]);
            case "getParameterValue":
                // The worker hands middlewares only the host's string values.
                return hostValues.get((String) args[0]) instanceof String s ? s : null;
            case "updateParameterValue":
                middlewareValues.put((String) args[0], args[1]);
                return null;
            case "getReturnValue":
                return returnValue;
            case "updateReturnValue":
                returnValue = args[0];
                return null;
            default:
                if (m.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, m, args);
                }
                return objectMethod(proxy, m, args);
        }
    }

    private String parameterWithAnnotation(String annotationSimpleName) {
        for (Parameter parameter : method.getParameters()) {
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation.annotationType().getSimpleName().equals(annotationSimpleName)) {
                    return bindingName(parameter);
                }
            }
        }
        return null;
    }

    static Object objectMethod(Object proxy, Method m, Object[] args) {
        return switch (m.getName()) {
            case "toString" -> "worker stand-in " + m.getDeclaringClass().getSimpleName();
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(m.toString());
        };
    }

    static Exception rethrow(Throwable thrown) {
        if (thrown instanceof Error error) {
            throw error;
        }
        return (Exception) thrown;
    }
}
