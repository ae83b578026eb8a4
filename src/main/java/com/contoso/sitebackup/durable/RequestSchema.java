package com.contoso.sitebackup.durable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The user fields of a request type, read from its {@link RequestField} annotations (on a record's components, or
 * on its {@code @JsonCreator}'s parameters) in declaration order: the one schema the starter binds a body with
 * ({@link #bind}), the runner builds its options from ({@link #describe}, plain JDK data, since the runner reaches
 * the packaged app by reflection) and the README's field tables are checked against.
 */
public final class RequestSchema {
    /** How a field's value is written, from its Java type (and {@link RequestField#path}). */
    public enum Kind {
        /** A directory: text, made absolute by the runner. */
        PATH("DIR"),
        /** Text. */
        TEXT("TEXT"),
        /** An array of strings. */
        LIST("VALUE"),
        /** true or false. */
        SWITCH(""),
        /** A whole number from 0. */
        COUNT("N");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One user field: its JSON name, Java type, kind, runner label and options, help, and whether it is required. */
    public record Field(String name, Class<?> type, Kind kind, String label, String help, List<String> options,
                        boolean required) {
        /** This field as plain JDK data: name, kind, label, help, options, required. */
        public Map<String, Object> describe() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", name);
            map.put("kind", kind.name());
            map.put("label", label);
            map.put("help", help);
            map.put("options", options);
            map.put("required", required);
            return map;
        }
    }

    private RequestSchema() {
    }

    /** The user fields of {@code request}, in declaration order. */
    public static List<Field> of(Class<?> request) {
        List<Field> fields = new ArrayList<>();
        if (request.isRecord()) {
            for (RecordComponent component : request.getRecordComponents()) {
                RequestField annotation = component.getAnnotation(RequestField.class);
                if (annotation != null) {
                    JsonProperty property = component.getAnnotation(JsonProperty.class);
                    String name = property != null && !property.value().isEmpty() ? property.value()
                            : component.getName();
                    fields.add(field(request, name, component.getType(), component.getGenericType(), annotation));
                }
            }
        } else {
            Constructor<?> creator = Arrays.stream(request.getDeclaredConstructors())
                    .filter(c -> c.isAnnotationPresent(JsonCreator.class)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(request.getName() + " is neither a record nor"
                            + " has a @JsonCreator constructor"));
            for (Parameter parameter : creator.getParameters()) {
                RequestField annotation = parameter.getAnnotation(RequestField.class);
                if (annotation != null) {
                    JsonProperty property = parameter.getAnnotation(JsonProperty.class);
                    if (property == null) {
                        throw new IllegalArgumentException(request.getName() + ": a @RequestField parameter needs"
                                + " @JsonProperty");
                    }
                    fields.add(field(request, property.value(), parameter.getType(),
                            parameter.getParameterizedType(), annotation));
                }
            }
        }
        return List.copyOf(fields);
    }

    /** {@link #of} as plain JDK data ({@link Field#describe}), for a caller that does not share these classes. */
    public static List<Map<String, Object>> describe(Class<?> request) {
        return of(request).stream().map(Field::describe).toList();
    }

    /** The JSON names of {@code request}'s user fields, in declaration order. */
    public static List<String> names(Class<?> request) {
        return of(request).stream().map(Field::name).toList();
    }

    private static Field field(Class<?> request, String name, Class<?> type, Type generic, RequestField annotation) {
        if (annotation.like() != Void.class) {
            Field model = of(annotation.like()).stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(request.getName() + "." + name + ": "
                            + annotation.like().getName() + " has no user field " + name));
            if (model.type() != type) {
                throw new IllegalArgumentException(request.getName() + "." + name + " is a " + type.getSimpleName()
                        + ", " + annotation.like().getSimpleName() + "'s a " + model.type().getSimpleName());
            }
            return new Field(name, type, model.kind(), model.label(), model.help(), model.options(),
                    annotation.required());
        }
        if (annotation.help().isBlank()) {
            throw new IllegalArgumentException(request.getName() + "." + name + ": @RequestField needs a help text, or"
                    + " like = the request whose field of that name it is");
        }
        Kind kind;
        if (type == boolean.class) {
            kind = Kind.SWITCH;
        } else if (type == int.class) {
            kind = Kind.COUNT;
        } else if (type == String.class) {
            kind = annotation.path() ? Kind.PATH : Kind.TEXT;
        } else if (type == List.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            kind = Kind.LIST;
        } else {
            throw new IllegalArgumentException(request.getName() + "." + name + ": a request field is a String,"
                    + " a boolean, an int or a List<String>, not " + generic);
        }
        List<String> options = annotation.options().length > 0 ? List.of(annotation.options())
                : List.of("--" + name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
        String label = kind == Kind.SWITCH ? "" : annotation.label().isEmpty() ? kind.label : annotation.label();
        return new Field(name, type, kind, label, annotation.help(), options, annotation.required());
    }

    /**
     * Binds a user's JSON object to {@code type} by its schema: refuses a field not in it (the stamped ones too), a
     * value not of its field's kind and a missing required field, each with a message naming the field; then maps
     * it with {@link Wire#JSON}. A field left out or null takes its default (null, false, 0, an empty list).
     *
     * @throws IllegalArgumentException naming the field
     */
    public static <T> T bind(Class<T> type, List<Field> schema, JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object");
        }
        Map<String, Field> known = new LinkedHashMap<>();
        schema.forEach(f -> known.put(f.name(), f));
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.containsKey(name)) {
                throw new IllegalArgumentException("Unknown field '" + name + "'; known fields: "
                        + new TreeSet<>(known.keySet()));
            }
        }
        ObjectNode present = Wire.JSON.createObjectNode();
        for (Field field : schema) {
            JsonNode node = json.get(field.name());
            if (node == null || node.isNull()) {
                continue;
            }
            check(field, node);
            present.set(field.name(), node);
        }
        for (Field field : schema) {
            if (field.required() && !present.has(field.name())) {
                throw new IllegalArgumentException(field.name() + " is required");
            }
        }
        try {
            return Wire.JSON.treeToValue(present, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The request does not bind to " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    private static void check(Field field, JsonNode node) {
        String name = field.name();
        switch (field.kind()) {
            case SWITCH -> {
                if (!node.isBoolean()) {
                    throw new IllegalArgumentException(name + " must be true or false");
                }
            }
            case COUNT -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                    throw new IllegalArgumentException(name + " must be a whole number from 0, not " + node);
                }
            }
            case LIST -> {
                if (!node.isArray()) {
                    throw new IllegalArgumentException(name + " must be an array of strings");
                }
                for (JsonNode element : node) {
                    if (!element.isTextual()) {
                        throw new IllegalArgumentException(name + " must be an array of strings");
                    }
                }
            }
            default -> {
                if (!node.isTextual()) {
                    throw new IllegalArgumentException(name + " must be a string");
                }
            }
        }
    }
}
