package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads JSON request bodies here rather than in Quarkus REST, whose built-in Jackson error mapper
 * answers a type mismatch with a non-problem body; this way every mistake names its field, in the
 * API's words rather than Jackson's class names: an unknown field with the nearest known one, a value of
 * the wrong kind with the kind expected.
 */
final class JsonBodies {
    private static final Pattern FOUND = Pattern.compile(
            "from (String|Integer|Floating-point|Boolean|Object|Array|Null) value");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private JsonBodies() {}

    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw problem(e);
        } catch (IOException e) {
            throw new ClientProblem(ProblemType.MALFORMED_JSON, null, "the JSON body cannot be read: " + e.getMessage());
        }
    }

    static ClientProblem problem(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String field = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining()).substring(1)
                : null;
        return new ClientProblem(ProblemType.MALFORMED_JSON, field, "the JSON body cannot be read" + where + ": "
                + explain(e, field));
    }

    private static String explain(JsonProcessingException e, String field) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            String name = unknown.getPropertyName();
            return "unknown field '" + name + "'" + Suggestions.nearest(name, known)
                    .map(nearest -> "; did you mean '" + nearest + "'?").orElse(".") + " The fields here are "
                    + String.join(", ", known) + ".";
        }
        String original = e.getOriginalMessage();
        // Jackson's own wording names Java classes; a custom deserializer's message is the API's already
        boolean jacksons = original != null && (original.startsWith("Cannot ") || original.startsWith("Unexpected token"));
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && field != null
                && jacksons) {
            return field + " must be " + kind(mismatch.getTargetType()) + ", got " + found(mismatch) + ".";
        }
        return original;
    }

    /** The JSON kind a Java type is read from, in the API's words. */
    static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == float[].class || type == double[].class) {
            return "an array of numbers";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (type == AttackQuery.class) {
            return "an attack: a method name such as \"pgd\", or an object such as {\"method\": \"pgd\", \"steps\": 20}";
        }
        return "an object";
    }

    private static String found(MismatchedInputException e) {
        if (e instanceof InvalidFormatException invalid && invalid.getValue() != null) {
            return "'" + invalid.getValue() + "'";
        }
        JsonToken token = e.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
        if (token == null) {
            // Jackson names what it found in words of its own: "… from String value", "… from Object value"
            Matcher found = FOUND.matcher(String.valueOf(e.getOriginalMessage()));
            return found.find() ? switch (found.group(1)) {
                case "String" -> "a string";
                case "Integer", "Floating-point" -> "a number";
                case "Boolean" -> "true or false";
                case "Object" -> "an object";
                case "Array" -> "an array";
                default -> "null";
            } : "something else";
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }
}
