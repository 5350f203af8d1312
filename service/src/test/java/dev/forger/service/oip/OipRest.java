package dev.forger.service.oip;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A small REST client of the protocol for the tests: request bodies, binary framing, exact float parsing. */
final class OipRest {
    /** Keeps every number's text, so floats are parsed from it exactly (not through double). */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final String HEADER = "Inference-Header-Content-Length";

    private OipRest() {}

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One FP32 input with its values in JSON "data". */
    static Map<String, Object> jsonInput(String name, long[] shape, Object data) {
        return Map.of("name", name, "datatype", "FP32", "shape", shape, "data", data);
    }

    /** One FP32 input whose values follow the JSON (binary data extension). */
    static Map<String, Object> binaryInput(String name, long[] shape, int floats) {
        return Map.of("name", name, "datatype", "FP32", "shape", shape,
                "parameters", Map.of("binary_data_size", floats * 4));
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static float[] floatsOf(byte[] bytes, int offset, int length) {
        float[] out = new float[length / 4];
        ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** JSON header followed by binary tensors: the body of a binary-extension request. */
    static byte[] framed(byte[] header, byte[]... tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        for (byte[] t : tensors) {
            out.writeBytes(t);
        }
        return out.toByteArray();
    }

    static Response postJson(String path, Object request) {
        return given().contentType("application/json").body(json(request)).post(path);
    }

    static Response postBinary(String path, Object request, float[]... tensors) {
        byte[] header = json(request);
        byte[][] bytes = Arrays.stream(tensors).map(OipRest::littleEndian).toArray(byte[][]::new);
        return given().contentType("application/octet-stream").header(HEADER, header.length)
                .body(framed(header, bytes)).post(path);
    }

    static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(json), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }

    /** Every number of a (possibly nested) JSON array, parsed as a float from its own text. */
    static float[] floats(JsonNode array) {
        List<Float> out = new java.util.ArrayList<>();
        collect(array, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void collect(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else {
            out.add(Float.parseFloat(node.decimalValue().toString()));
        }
    }

    /** Images with values spread over [-1, 1], reproducible. */
    static float[] images(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[count * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
