package com.contoso.sitebackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.contoso.sitebackup.config.AppServices;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.durabletask.azurefunctions.DurableActivityTrigger;
import com.microsoft.durabletask.azurefunctions.DurableOrchestrationTrigger;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link Functions} lists every function of the app, each where it belongs, and nothing else. */
class FunctionsTest {
    /** Every listed function by its {@code @FunctionName}. */
    static Map<String, Class<?>> byName() {
        Map<String, Class<?>> names = new TreeMap<>();
        for (List<Class<?>> kind : List.of(Functions.TRIGGERS, Functions.ORCHESTRATORS, Functions.ACTIVITIES)) {
            kind.forEach(type -> names.put(functionMethod(type).getAnnotation(FunctionName.class).value(), type));
        }
        return names;
    }

    private static Method functionMethod(Class<?> type) {
        List<Method> methods = Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(FunctionName.class)).toList();
        assertEquals(1, methods.size(), type.getName() + " has one @FunctionName method");
        return methods.get(0);
    }

    @Test
    void lists_everyClassWithAFunction_listedOnce() throws IOException, ClassNotFoundException {
        List<String> annotated = new ArrayList<>();
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name);
                if (Arrays.stream(type.getMethods()).anyMatch(m -> m.isAnnotationPresent(FunctionName.class))) {
                    annotated.add(type.getName());
                }
            }
        }
        List<String> listed = byName().values().stream().map(Class::getName).sorted().toList();
        assertEquals(new TreeSet<>(annotated), new TreeSet<>(listed),
                "a class with a @FunctionName method that Functions does not list, or the other way round");
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "listed once");
    }

    @Test
    void lists_eachFunctionInItsKind_nameConstantUsedInTheAnnotation() throws ReflectiveOperationException {
        for (Class<?> type : Functions.ORCHESTRATORS) {
            assertTrue(hasParameter(functionMethod(type), DurableOrchestrationTrigger.class), type + " is an orchestrator");
        }
        for (Class<?> type : Functions.ACTIVITIES) {
            assertTrue(hasParameter(functionMethod(type), DurableActivityTrigger.class), type + " is an activity");
            type.getConstructor(AppServices.class);
            type.getConstructor();
        }
        for (Class<?> type : byName().values()) {
            assertEquals(type.getField("NAME").get(null), functionMethod(type).getAnnotation(FunctionName.class).value(),
                    type + ": NAME is the function's name");
        }
    }

    private static boolean hasParameter(Method method, Class<? extends java.lang.annotation.Annotation> annotation) {
        return Arrays.stream(method.getParameters()).map(Parameter::getAnnotations).flatMap(Arrays::stream)
                .anyMatch(a -> a.annotationType().equals(annotation));
    }
}
