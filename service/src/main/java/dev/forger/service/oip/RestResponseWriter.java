package dev.forger.service.oip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a REST inference response: the JSON object, and with binary outputs their bytes after it
 * (little-endian FP32, row-major), the JSON's length in {@code Inference-Header-Content-Length}. Floats are
 * written in their shortest form that parses back to the same bits.
 */
final class RestResponseWriter {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final JsonFactory JSON = new JsonFactory();

    private RestResponseWriter() {}

    static Response write(InferResult result) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(estimate(result));
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            g.writeStringField("model_name", result.model().name());
            g.writeStringField("model_version", result.model().version());
            if (result.id() != null) {
                g.writeStringField("id", result.id());
            }
            g.writeArrayFieldStart("outputs");
            for (InferResult.Output o : result.outputs()) {
                g.writeStartObject();
                g.writeStringField("name", o.name());
                g.writeStringField("datatype", TensorDatatype.FP32.name());
                g.writeArrayFieldStart("shape");
                for (long d : o.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (o.binary()) {
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", (long) o.data().length * Float.BYTES);
                    g.writeEndObject();
                } else {
                    g.writeArrayFieldStart("data");
                    for (float v : o.data()) {
                        g.writeNumber(v);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        if (!result.anyBinary()) {
            return Response.ok(body.toByteArray(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        int jsonLength = body.size();
        for (InferResult.Output o : result.outputs()) {
            if (o.binary()) {
                ByteBuffer bytes = ByteBuffer.allocate(o.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(o.data());
                body.write(bytes.array(), 0, bytes.capacity());
            }
        }
        return Response.ok(body.toByteArray(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HEADER_LENGTH, jsonLength).build();
    }

    private static int estimate(InferResult result) {
        int floats = result.outputs().stream().mapToInt(o -> o.data().length).sum();
        return 256 + floats * (result.anyBinary() ? 4 : 12);
    }
}
