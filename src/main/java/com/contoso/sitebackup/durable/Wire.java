package com.contoso.sitebackup.durable;

import com.contoso.sitebackup.text.Printable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The one JSON mapper of the app and the one way a value crosses a function boundary.
 *
 * <p><b>Strict.</b> Unknown fields, duplicate keys, trailing tokens, a number where text is expected (or text where a
 * number or a boolean is), a fraction where a whole number is and a number for an enum are all refused. A field left
 * out (or null) takes its default: none, false or 0 (a code version of 0 is refused by every function, a count of 0
 * by the checks that need one). A record's compact constructor checks its own ranges, and Jackson calls it: so a
 * value read here is checked, whoever sent it.
 *
 * <p><b>Why activities take and return text.</b> The Functions Java worker binds an activity's input with Gson,
 * which sets final fields without calling any constructor, so a check in a constructor would never run. Every
 * activity therefore takes its input as a {@code String} (the JSON text; the worker may hand it JSON-encoded once
 * more, which {@link #read} undoes) and reads it here. Orchestrators read every result and input as a
 * {@link JsonNode} (which the SDK's own converter always manages) and map it here, so a result of the wrong shape
 * becomes a failure that names the function and the field, never an instance left Running (SDK 1.5.0 hangs when it
 * cannot bind a result itself).
 */
public final class Wire {
    /** The mapper: strict as described above; writes no null fields. */
    public static final ObjectMapper JSON = strict();
    /** A value is unwrapped from at most this many levels of JSON text. */
    private static final int MAX_WRAPPING = 2;
    /** How much of a refused value's description a message keeps. */
    private static final int MAX_DETAIL = 300;

    private Wire() {
    }

    private static ObjectMapper strict() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean, LogicalType.Enum}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual || type == LogicalType.Enum
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual
                            ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    /**
     * Reads {@code node} as a {@code type}: the node itself, or the JSON text it holds (up to two levels).
     *
     * @param what names the value in a refusal, such as "the result of CopyFileToBlob"
     * @throws Refused naming {@code what} and the field, when the value is missing or not of that shape
     */
    public static <T> T read(JsonNode node, Class<T> type, String what) {
        JsonNode value = node;
        for (int level = 0; value != null && value.isTextual() && level < MAX_WRAPPING; level++) {
            value = tree(value.textValue(), what);
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new Refused(what + " is missing");
        }
        try {
            T read = JSON.treeToValue(value, type);
            if (read == null) {
                throw new Refused(what + " is missing");
            }
            return read;
        } catch (JsonProcessingException e) {
            throw new Refused(what + " is not a " + type.getSimpleName() + ": " + describe(e));
        } catch (IllegalArgumentException e) {
            throw new Refused(what + " is not a " + type.getSimpleName() + ": " + clip(e.getMessage()));
        }
    }

    /** Reads JSON {@code text} (possibly JSON-encoded once more, as the worker may hand a string) as a {@code type}. */
    public static <T> T read(String text, Class<T> type, String what) {
        if (text == null) {
            throw new Refused(what + " is missing");
        }
        return read(tree(text, what), type, what);
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as a JSON tree. */
    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static JsonNode tree(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Refused(what + " is not JSON: " + clip(e.getOriginalMessage()));
        }
    }

    /** The field a mapping failed at and why, in a line. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return clip(v.getCause().getMessage());
        }
        String why = clip(e.getOriginalMessage());
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference reference : m.getPath()) {
                if (reference.getFieldName() != null) {
                    field.append(field.length() == 0 ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    field.append('[').append(reference.getIndex()).append(']');
                }
            }
            return "field '" + Printable.quote(field.toString()) + "': " + why;
        }
        return why;
    }

    private static String clip(String text) {
        String line = Printable.quote(text == null ? "" : text.lines().findFirst().orElse(""));
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }

    /**
     * A value that is missing or not of the shape expected: never worth retrying. It carries no cause: the worker
     * reports a failure by its root cause's class, and a refusal whose root were a parser's exception would be
     * taken for a failure time may mend ({@link FanOut#retriable}).
     */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }
}
