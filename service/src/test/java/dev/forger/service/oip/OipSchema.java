package dev.forger.service.oip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol's REST objects, as facts for the conformance tests (written from
 * kserve/open-inference-protocol's inference_rest.md and open_inference_rest.yaml, and Triton's binary data
 * and model repository extensions): which fields each object has, which are required, and their JSON types.
 * {@link #check} fails on a missing required field, a field of the wrong type, or a field the schema does
 * not have.
 */
final class OipSchema {
    enum Type { STRING, BOOLEAN, INTEGER, NUMBER, OBJECT, STRING_ARRAY, INTEGER_ARRAY, OBJECT_ARRAY, ARRAY }

    record Field(String name, Type type, boolean required) {}

    private final String title;
    private final List<Field> fields;

    private OipSchema(String title, Field... fields) {
        this.title = title;
        this.fields = List.of(fields);
    }

    private static Field required(String name, Type type) {
        return new Field(name, type, true);
    }

    private static Field optional(String name, Type type) {
        return new Field(name, type, false);
    }

    /** $metadata_server_response: name, version, extensions, all required. */
    static final OipSchema SERVER_METADATA = new OipSchema("metadata_server_response",
            required("name", Type.STRING), required("version", Type.STRING), required("extensions", Type.STRING_ARRAY));
    /** $live_server_response. */
    static final OipSchema SERVER_LIVE = new OipSchema("live_server_response", required("live", Type.BOOLEAN));
    /**
     * $ready_server_response. The specification's text shows the field as "live" (a slip: the gRPC message and
     * KServe's and MLServer's servers say "ready"); Forger answers "ready".
     */
    static final OipSchema SERVER_READY = new OipSchema("ready_server_response", required("ready", Type.BOOLEAN));
    /** $ready_model_response. */
    static final OipSchema MODEL_READY = new OipSchema("ready_model_response",
            required("name", Type.STRING), required("ready", Type.BOOLEAN));
    /** $metadata_model_response: name and platform required; versions, inputs, outputs optional. */
    static final OipSchema MODEL_METADATA = new OipSchema("metadata_model_response",
            required("name", Type.STRING), optional("versions", Type.STRING_ARRAY), required("platform", Type.STRING),
            optional("inputs", Type.OBJECT_ARRAY), optional("outputs", Type.OBJECT_ARRAY));
    /** $metadata_tensor: name, datatype, shape (variable dimensions as -1), all required. */
    static final OipSchema METADATA_TENSOR = new OipSchema("metadata_tensor",
            required("name", Type.STRING), required("datatype", Type.STRING), required("shape", Type.INTEGER_ARRAY));
    /** $inference_response: model_name and outputs required. */
    static final OipSchema INFERENCE_RESPONSE = new OipSchema("inference_response",
            required("model_name", Type.STRING), optional("model_version", Type.STRING), optional("id", Type.STRING),
            optional("parameters", Type.OBJECT), required("outputs", Type.OBJECT_ARRAY));
    /** $response_output as JSON: name, shape, datatype and data required; parameters optional. */
    static final OipSchema RESPONSE_OUTPUT = new OipSchema("response_output",
            required("name", Type.STRING), required("shape", Type.INTEGER_ARRAY), required("datatype", Type.STRING),
            optional("parameters", Type.OBJECT), required("data", Type.ARRAY));
    /**
     * $response_output with the binary data extension: the data travel after the JSON, so "data" is absent and
     * parameters.binary_data_size (int64, bytes) is required.
     */
    static final OipSchema BINARY_RESPONSE_OUTPUT = new OipSchema("response_output (binary)",
            required("name", Type.STRING), required("shape", Type.INTEGER_ARRAY), required("datatype", Type.STRING),
            required("parameters", Type.OBJECT));
    /** Every error object of the protocol and its extensions: exactly one string, "error". */
    static final OipSchema ERROR = new OipSchema("error response", required("error", Type.STRING));
    /** One entry of $repository_index_response: name, state, reason; version optional. */
    static final OipSchema REPOSITORY_INDEX_ENTRY = new OipSchema("repository_index_response entry",
            required("name", Type.STRING), optional("version", Type.STRING), required("state", Type.STRING),
            required("reason", Type.STRING));

    /** The tensor datatypes the protocol defines. */
    static final Set<String> DATATYPES = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
            "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES", "BF16");

    void check(Map<String, Object> object) {
        assertThat(object).as(title).isNotNull();
        for (Field field : fields) {
            if (field.required()) {
                assertThat(object).as(title + " requires '" + field.name() + "'").containsKey(field.name());
            }
            if (object.containsKey(field.name())) {
                assertType(object.get(field.name()), field);
            }
        }
        assertThat(fields.stream().map(Field::name).toList()).as(title + " has no other fields than these")
                .containsAll(object.keySet());
    }

    private void assertType(Object value, Field field) {
        String what = title + "." + field.name();
        switch (field.type()) {
            case STRING -> assertThat(value).as(what).isInstanceOf(String.class);
            case BOOLEAN -> assertThat(value).as(what).isInstanceOf(Boolean.class);
            case INTEGER -> assertThat(value).as(what).isInstanceOfAny(Integer.class, Long.class);
            case NUMBER -> assertThat(value).as(what).isInstanceOf(Number.class);
            case OBJECT -> assertThat(value).as(what).isInstanceOf(Map.class);
            case ARRAY -> assertThat(value).as(what).isInstanceOf(List.class);
            case STRING_ARRAY -> assertThat((List<?>) value).as(what).allMatch(String.class::isInstance);
            case INTEGER_ARRAY -> assertThat((List<?>) value).as(what)
                    .allMatch(v -> v instanceof Integer || v instanceof Long);
            case OBJECT_ARRAY -> assertThat((List<?>) value).as(what).allMatch(Map.class::isInstance);
        }
    }
}
