package dev.forger.service.oip;

import static dev.forger.service.oip.OipRest.binaryInput;
import static dev.forger.service.oip.OipRest.floats;
import static dev.forger.service.oip.OipRest.jsonInput;
import static dev.forger.service.oip.OipRest.map;
import static dev.forger.service.oip.OipRest.postBinary;
import static dev.forger.service.oip.OipRest.postJson;
import static dev.forger.service.oip.OipRest.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the REST side, field by field against the protocol's schemas ({@link OipSchema}): server
 * and model metadata, health, and inference with JSON and binary tensors on both models of a bundle.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class OipRestApiTest {
    static final String GENERATOR = TestBundles.DEFAULT + "-generator";
    static final String DISCRIMINATOR = TestBundles.DEFAULT + "-discriminator";
    static final String VERSION = "test-1"; // TinyBundle's manifest version

    @Test
    @SuppressWarnings("unchecked")
    void serverMetadataNamesForgerAndItsExtensions() {
        Map<String, Object> body = okJson(given().get("/v2"));
        OipSchema.SERVER_METADATA.check(body);
        assertThat(body.get("name")).isEqualTo("forger");
        assertThat((String) body.get("version")).isNotBlank();
        assertThat((List<Object>) body.get("extensions")).contains("binary_tensor_data")
                .as("the repository extension is off unless configured").doesNotContain("model_repository");
    }

    @Test
    void serverIsLiveAndReady() {
        Map<String, Object> live = okJson(given().get("/v2/health/live"));
        OipSchema.SERVER_LIVE.check(live);
        assertThat(live.get("live")).isEqualTo(true);
        Map<String, Object> ready = okJson(given().get("/v2/health/ready"));
        OipSchema.SERVER_READY.check(ready);
        assertThat(ready.get("ready")).isEqualTo(true);
    }

    @Test
    void everyBundleIsAGeneratorAndADiscriminatorWithItsVersion() {
        for (String path : List.of("/v2/models/" + GENERATOR, "/v2/models/" + GENERATOR + "/versions/" + VERSION)) {
            Map<String, Object> g = okJson(given().get(path));
            OipSchema.MODEL_METADATA.check(g);
            assertThat(g.get("name")).isEqualTo(GENERATOR);
            assertThat(g.get("versions")).isEqualTo(List.of(VERSION));
            assertThat(g.get("platform")).isEqualTo("onnxruntime_onnx");
            assertTensor(g, "inputs", "z", List.of(-1, 100));
            assertTensor(g, "outputs", "image", List.of(-1, 1, 32, 32));
        }
        Map<String, Object> d = okJson(given().get("/v2/models/" + DISCRIMINATOR));
        OipSchema.MODEL_METADATA.check(d);
        assertTensor(d, "inputs", "image", List.of(-1, 1, 32, 32));
        assertTensor(d, "outputs", "logit", List.of(-1, 1));
        // the embedded default bundle and the zipped one are models too
        okJson(given().get("/v2/models/" + TestBundles.ZIPPED + "-discriminator"));
        okJson(given().get("/v2/models/mnist-dcgan-generator"));
    }

    @SuppressWarnings("unchecked")
    private static void assertTensor(Map<String, Object> metadata, String side, String name, List<Integer> shape) {
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) metadata.get(side);
        assertThat(tensors).hasSize(1);
        OipSchema.METADATA_TENSOR.check(tensors.get(0));
        assertThat(tensors.get(0)).containsEntry("name", name).containsEntry("datatype", "FP32")
                .containsEntry("shape", shape);
        assertThat(OipSchema.DATATYPES).contains((String) tensors.get(0).get("datatype"));
    }

    @Test
    void modelReadyWithAndWithoutVersion() {
        for (String path : List.of("/v2/models/" + DISCRIMINATOR + "/ready",
                "/v2/models/" + DISCRIMINATOR + "/versions/" + VERSION + "/ready")) {
            Map<String, Object> ready = okJson(given().get(path));
            OipSchema.MODEL_READY.check(ready);
            assertThat(ready).containsEntry("name", DISCRIMINATOR).containsEntry("ready", true);
        }
    }

    @Test
    void unknownModelsAndVersionsAre404WithAnErrorObject() {
        assertError(given().get("/v2/models/nope"), 404, "no model named 'nope'");
        assertError(given().get("/v2/models/nope/ready"), 404, TestBundles.DEFAULT + "-generator");
        assertError(given().get("/v2/models/" + GENERATOR + "/versions/9"), 404, "serves version 'test-1'");
        assertError(given().get("/v2/models/" + GENERATOR + "/versions/9/ready"), 404, "has no version '9'");
        assertError(postJson("/v2/models/" + TestBundles.DEFAULT + "/infer", Map.of("inputs", List.of())), 404,
                "<bundle>-generator and <bundle>-discriminator");
    }

    @Test
    void discriminatorJsonInferenceEchoesIdAndAnswersOneLogitPerImage() {
        float[] images = OipRest.images(3, 1);
        Response r = postJson("/v2/models/" + DISCRIMINATOR + "/infer", Map.of("id", "req-42",
                "inputs", List.of(jsonInput("image", new long[] {3, 1, 32, 32}, images))));
        JsonNode body = okTree(r);
        OipSchema.INFERENCE_RESPONSE.check(map(body));
        assertThat(body.get("model_name").asText()).isEqualTo(DISCRIMINATOR);
        assertThat(body.get("model_version").asText()).isEqualTo(VERSION);
        assertThat(body.get("id").asText()).isEqualTo("req-42");
        JsonNode out = body.get("outputs").get(0);
        OipSchema.RESPONSE_OUTPUT.check(map(out));
        assertThat(out.get("name").asText()).isEqualTo("logit");
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(map(out).get("shape")).isEqualTo(List.of(3, 1));
        float[] logits = floats(out.get("data"));
        assertThat(logits).hasSize(3);
        for (float logit : logits) {
            assertThat(logit).isFinite();
        }
    }

    @Test
    void nestedAndFlatDataGiveTheSameBits() {
        float[] images = OipRest.images(2, 2);
        float[][][][] nested = new float[2][1][32][32];
        for (int i = 0; i < images.length; i++) {
            nested[i / 1024][0][(i / 32) % 32][i % 32] = images[i];
        }
        String path = "/v2/models/" + DISCRIMINATOR + "/infer";
        float[] flat = floats(okTree(postJson(path, Map.of("inputs",
                List.of(jsonInput("image", new long[] {2, 1, 32, 32}, images))))).get("outputs").get(0).get("data"));
        float[] fromNested = floats(okTree(postJson(path, Map.of("inputs",
                List.of(jsonInput("image", new long[] {2, 1, 32, 32}, nested))))).get("outputs").get(0).get("data"));
        assertThat(fromNested).isEqualTo(flat);
        assertThat(okTree(postJson(path, Map.of("inputs", List.of(jsonInput("image", new long[] {2, 1, 32, 32}, images)))))
                .has("id")).as("no id asked, none echoed").isFalse();
    }

    @Test
    void binaryRequestAndBinaryAnswerCarryTheSameBitsAsJson() {
        float[] z = OipRest.images(2, 3); // any values in [-1, 1] do as latents
        z = java.util.Arrays.copyOf(z, 2 * 100);
        String path = "/v2/models/" + GENERATOR + "/versions/" + VERSION + "/infer";
        float[] viaJson = floats(okTree(postJson(path, Map.of("inputs",
                List.of(jsonInput("z", new long[] {2, 100}, z))))).get("outputs").get(0).get("data"));

        Response binary = postBinary(path, Map.of("id", "b1", "inputs", List.of(binaryInput("z", new long[] {2, 100}, 200)),
                "outputs", List.of(Map.of("name", "image", "parameters", Map.of("binary_data", true)))), z);
        assertThat(binary.statusCode()).as(binary.asString()).isEqualTo(200);
        assertThat(binary.contentType()).startsWith("application/octet-stream");
        int headerLength = Integer.parseInt(binary.header(OipRest.HEADER));
        byte[] bytes = binary.asByteArray();
        JsonNode header = tree(java.util.Arrays.copyOf(bytes, headerLength));
        OipSchema.INFERENCE_RESPONSE.check(map(header));
        JsonNode out = header.get("outputs").get(0);
        OipSchema.BINARY_RESPONSE_OUTPUT.check(map(out));
        assertThat(map(out).get("shape")).isEqualTo(List.of(2, 1, 32, 32));
        assertThat(out.get("parameters").get("binary_data_size").asLong()).isEqualTo(2 * 1024 * 4);
        assertThat(bytes.length).isEqualTo(headerLength + 2 * 1024 * 4);
        assertThat(OipRest.floatsOf(bytes, headerLength, bytes.length - headerLength)).isEqualTo(viaJson);
        assertThat(header.get("id").asText()).isEqualTo("b1");
    }

    @Test
    void binaryDataOutputOnTheRequestAppliesUnlessAnOutputSaysOtherwise() {
        float[] images = OipRest.images(1, 4);
        String path = "/v2/models/" + DISCRIMINATOR + "/infer";
        Map<String, Object> input = binaryInput("image", new long[] {1, 1, 32, 32}, 1024);
        Response all = postBinary(path, Map.of("parameters", Map.of("binary_data_output", true), "inputs", List.of(input)),
                images);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.header(OipRest.HEADER)).isNotNull();
        float[] binaryLogit = OipRest.floatsOf(all.asByteArray(), Integer.parseInt(all.header(OipRest.HEADER)), 4);

        Response overridden = postBinary(path, Map.of("parameters", Map.of("binary_data_output", true),
                "inputs", List.of(input), "outputs", List.of(Map.of("name", "logit", "parameters",
                        Map.of("binary_data", false)))), images);
        JsonNode body = okTree(overridden);
        assertThat(overridden.header(OipRest.HEADER)).as("an all-JSON answer has no header").isNull();
        assertThat(floats(body.get("outputs").get(0).get("data"))).isEqualTo(binaryLogit);
    }

    static Map<String, Object> okJson(Response r) {
        return map(okTree(r));
    }

    static JsonNode okTree(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return tree(r.asByteArray());
    }

    /** An error answer: the status, a JSON body that is exactly {"error": "..."}, and a message that helps. */
    static String assertError(Response r, int status, String contains) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        Map<String, Object> body = map(tree(r.asByteArray()));
        OipSchema.ERROR.check(body);
        assertThat((String) body.get("error")).contains(contains);
        return (String) body.get("error");
    }
}
