package com.contoso.sitebackup.harness;


import com.google.gson.Gson;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;

/**
 * An activity function bound the way the Azure Functions Java worker binds it: the orchestrator's input
 * (JSON written by the SDK's Jackson converter) is converted to the trigger parameter's type with Gson, and
 * the method's return value is written back as JSON with Gson. A type that does not survive that trip
 * fails here as it would under the worker.
 */
final class WorkerActivity {
    private static final Gson GSON = new Gson();

    private final String name;
    private final Object target;
    private final Method method;
    private final Class<?> inputType;

    private WorkerActivity(String name, Object target, Method method, Class<?> inputType) {
        this.name = name;
        this.target = target;
        this.method = method;
        this.inputType = inputType;
    }

    /** The activity function of {@code target}: its one method with {@code @FunctionName} and an activity trigger. */
    static WorkerActivity of(Object target) {
        for (Method method : target.getClass().getMethods()) {
            FunctionName function = method.getAnnotation(FunctionName.class);
            if (function == null) {
                continue;
            }
            Parameter[] parameters = method.getParameters();
            if (parameters.length == 1 && parameters[0].isAnnotationPresent(DurableActivityTrigger.class)) {
                return new WorkerActivity(function.value(), target, method, parameters[0].getType());
            }
        }
        throw new IllegalArgumentException(target.getClass() + " has no @FunctionName method whose only parameter"
                + " is a @DurableActivityTrigger; methods: " + Arrays.toString(target.getClass().getDeclaredMethods()));
    }

    String name() {
        return name;
    }

    /** Runs the activity on {@code inputJson}; returns the result as JSON. Exceptions are the activity's own. */
    String invoke(String inputJson) throws Exception {
        // As the worker does: a String parameter gets the data as it came (JSON text), any other type is bound by Gson.
        Object input = inputType == String.class ? inputJson : GSON.fromJson(inputJson, inputType);
        try {
            return GSON.toJson(method.invoke(target, input));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
