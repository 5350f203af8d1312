package dev.forger.service.oip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a REST inference request: the JSON object, and with the binary data extension the tensor bytes
 * that follow it (the JSON's length in {@code Inference-Header-Content-Length}, each binary input's length
 * in its {@code binary_data_size} parameter, in input order).
 *
 * <p>A streaming parser rather than a tree: {@code data} can hold tens of thousands of numbers, which go
 * straight into a float array. Each number is parsed from its text as a float (not via double), so
 * that a float printed in the shortest form that round-trips comes back with exactly its bits.
 * Unknown fields are skipped: the protocol lets clients add their own.
 */
final class RestRequestReader {
    private static final JsonFactory JSON = new JsonFactory();

    private RestRequestReader() {}

    /**
     * @param headerLength the {@code Inference-Header-Content-Length} header, or null
     * @throws OipException naming what is malformed
     */
    static InferRequest read(byte[] body, String headerLength) {
        if (body == null || body.length == 0) {
            throw OipException.badRequest("the request has no body; send the inference request JSON object,"
                    + " e.g. {\"inputs\": [{\"name\": ..., \"shape\": [...], \"datatype\": \"FP32\", \"data\": [...]}]}");
        }
        int jsonLength = jsonLength(body, headerLength);
        Builder request = new Builder();
        try (JsonParser p = JSON.createParser(body, 0, jsonLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw OipException.badRequest("the request body must be a JSON object (the inference request)");
            }
            readRequest(p, request);
            if (trailing(p)) {
                throw OipException.badRequest(headerLength == null
                        ? "the body goes on after the JSON object; binary tensor data needs the"
                        + " Inference-Header-Content-Length header giving the JSON's length in bytes"
                        : "the " + jsonLength + " bytes of Inference-Header-Content-Length hold more than one"
                        + " JSON object; give the length of the JSON object alone");
            }
        } catch (JsonParseException e) {
            throw OipException.badRequest("the request is not valid JSON: " + e.getOriginalMessage()
                    + (headerLength == null ? "" : " (within the first " + jsonLength
                    + " bytes, the Inference-Header-Content-Length)"));
        } catch (IOException e) {
            throw OipException.badRequest("the request cannot be read: " + e.getMessage());
        }
        return request.build(body, jsonLength, headerLength != null);
    }

    /** Whether anything but white space follows the object (binary tensor bytes make the parser fail). */
    private static boolean trailing(JsonParser p) throws IOException {
        try {
            return p.nextToken() != null;
        } catch (JsonParseException e) {
            return true;
        }
    }

    private static int jsonLength(byte[] body, String headerLength) {
        if (headerLength == null) {
            return body.length;
        }
        long n;
        try {
            n = Long.parseLong(headerLength.trim());
        } catch (NumberFormatException e) {
            throw OipException.badRequest("Inference-Header-Content-Length is '" + headerLength
                    + "'; it must be the JSON object's length in bytes");
        }
        if (n < 2 || n > body.length) {
            throw OipException.badRequest("Inference-Header-Content-Length is " + n + " but the body has "
                    + body.length + " bytes; it must give the length of the JSON object at the body's start");
        }
        return (int) n;
    }

    private static void readRequest(JsonParser p, Builder request) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> request.id = text(p, value, "id");
                case "parameters" -> request.binaryOutputs = Boolean.TRUE.equals(
                        parameters(p, value, "parameters").bool("binary_data_output"));
                case "inputs" -> {
                    expectArray(value, "inputs");
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        request.inputs.add(readInput(p, request.inputs.size()));
                    }
                }
                case "outputs" -> {
                    expectArray(value, "outputs");
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        request.outputs.add(readOutput(p, request.outputs.size()));
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static InputBuilder readInput(JsonParser p, int index) throws IOException {
        InputBuilder input = new InputBuilder();
        String where = "inputs[" + index + "]";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> input.name = text(p, value, where + ".name");
                case "datatype" -> input.datatype = text(p, value, where + ".datatype");
                case "shape" -> input.shape = shape(p, value, where + ".shape");
                case "parameters" -> input.binarySize = parameters(p, value, where + ".parameters")
                        .integer("binary_data_size");
                case "data" -> readData(p, value, input, where + ".data");
                default -> p.skipChildren();
            }
        }
        if (input.name == null) {
            throw OipException.badRequest(where + " has no name");
        }
        return input;
    }

    private static InferRequest.RequestedOutput readOutput(JsonParser p, int index) throws IOException {
        String name = null;
        Boolean binary = null;
        String where = "outputs[" + index + "]";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, value, where + ".name");
                case "parameters" -> binary = parameters(p, value, where + ".parameters").bool("binary_data");
                default -> p.skipChildren();
            }
        }
        if (name == null) {
            throw OipException.badRequest(where + " has no name");
        }
        return new InferRequest.RequestedOutput(name, binary);
    }

    /** Flattens {@code data}, flat or nested, row-major; non-numbers are noted for the datatype check. */
    private static void readData(JsonParser p, JsonToken first, InputBuilder input, String where) throws IOException {
        if (first != JsonToken.START_ARRAY) {
            throw OipException.badRequest(where + " must be an array of values (flat or nested, row-major)");
        }
        FloatList values = new FloatList();
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw OipException.badRequest(where + " ends early");
            }
            switch (t) {
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> values.add(Float.parseFloat(p.getText()));
                case VALUE_TRUE, VALUE_FALSE -> input.other = "booleans";
                case VALUE_STRING -> input.other = "strings";
                default -> throw OipException.badRequest(where + " holds " + t.asString()
                        + "; it must hold numbers (or nested arrays of them)");
            }
        }
        input.values = values.toArray();
    }

    private static long[] shape(JsonParser p, JsonToken value, String where) throws IOException {
        expectArray(value, where);
        List<Long> dims = new ArrayList<>();
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw OipException.badRequest(where + " must be an array of integers, e.g. [1, 100]");
            }
            dims.add(p.getLongValue());
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** A parameters object; only scalar values, as the protocol defines them. */
    private static Parameters parameters(JsonParser p, JsonToken value, String where) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw OipException.badRequest(where + " must be an object of name/value pairs");
        }
        Parameters parameters = new Parameters(where);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (t) {
                case VALUE_TRUE, VALUE_FALSE -> parameters.put(name, t == JsonToken.VALUE_TRUE);
                case VALUE_NUMBER_INT -> parameters.put(name, p.getLongValue());
                case VALUE_NUMBER_FLOAT -> parameters.put(name, p.getDoubleValue());
                case VALUE_STRING -> parameters.put(name, p.getText());
                default -> {
                    p.skipChildren();
                    parameters.put(name, null);
                }
            }
        }
        return parameters;
    }

    private static String text(JsonParser p, JsonToken value, String where) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw OipException.badRequest(where + " must be a string");
        }
        return p.getText();
    }

    private static void expectArray(JsonToken value, String where) {
        if (value != JsonToken.START_ARRAY) {
            throw OipException.badRequest(where + " must be an array");
        }
    }

    /** The few parameters the binary data extension defines, each checked for its type. */
    private static final class Parameters {
        private final String where;
        private final java.util.Map<String, Object> values = new java.util.HashMap<>();

        Parameters(String where) {
            this.where = where;
        }

        void put(String name, Object value) {
            values.put(name, value);
        }

        Boolean bool(String name) {
            Object v = values.get(name);
            if (v == null || v instanceof Boolean) {
                return (Boolean) v;
            }
            throw OipException.badRequest(where + "." + name + " must be true or false, got " + v);
        }

        Long integer(String name) {
            Object v = values.get(name);
            if (v == null || v instanceof Long) {
                return (Long) v;
            }
            throw OipException.badRequest(where + "." + name + " must be an integer (bytes), got " + v);
        }
    }

    private static final class InputBuilder {
        String name;
        String datatype;
        long[] shape;
        float[] values;
        Long binarySize;
        String other;
    }

    private static final class Builder {
        String id;
        boolean binaryOutputs;
        final List<InputBuilder> inputs = new ArrayList<>();
        final List<InferRequest.RequestedOutput> outputs = new ArrayList<>();

        /** Hands each binary input its slice of the bytes after the JSON, in input order. */
        InferRequest build(byte[] body, int jsonLength, boolean hasHeader) {
            int offset = jsonLength;
            List<InferRequest.Input> built = new ArrayList<>(inputs.size());
            for (InputBuilder in : inputs) {
                ByteBuffer raw = null;
                if (in.binarySize != null) {
                    if (in.values != null) {
                        throw OipException.badRequest("input '" + in.name + "' has both data and binary_data_size;"
                                + " give one");
                    }
                    if (!hasHeader) {
                        throw OipException.badRequest("input '" + in.name + "' declares binary_data_size but the"
                                + " request has no Inference-Header-Content-Length header; send it with the length"
                                + " of the JSON object, followed by the binary data");
                    }
                    long size = in.binarySize;
                    if (size < 0 || offset + size > body.length) {
                        throw OipException.badRequest("input '" + in.name + "' declares binary_data_size " + size
                                + " but only " + (body.length - offset) + " bytes of binary data are left after the"
                                + " JSON and the inputs before it");
                    }
                    raw = ByteBuffer.wrap(body, offset, (int) size).slice();
                    offset += (int) size;
                }
                built.add(new InferRequest.Input(in.name, in.datatype, in.shape, in.values, raw, in.other));
            }
            if (offset != body.length) {
                throw OipException.badRequest("the body has " + (body.length - offset) + " bytes after the JSON and"
                        + " the binary inputs' binary_data_size; they must add up exactly");
            }
            return new InferRequest(id, built, outputs, binaryOutputs);
        }
    }

    /** A growable float array: JSON gives no count before the numbers. */
    private static final class FloatList {
        private float[] items = new float[1024];
        private int size;

        void add(float v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
