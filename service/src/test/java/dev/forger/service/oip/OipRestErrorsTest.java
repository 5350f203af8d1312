package dev.forger.service.oip;

import static dev.forger.service.oip.OipRest.binaryInput;
import static dev.forger.service.oip.OipRest.jsonInput;
import static dev.forger.service.oip.OipRest.postBinary;
import static dev.forger.service.oip.OipRest.postJson;
import static dev.forger.service.oip.OipRestApiTest.DISCRIMINATOR;
import static dev.forger.service.oip.OipRestApiTest.GENERATOR;
import static dev.forger.service.oip.OipRestApiTest.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every way an inference request can be wrong gets a 4xx with the protocol's {"error": "..."} saying what
 * is wrong and how to fix it, counts as a rejection, and leaves the service serving.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class OipRestErrorsTest {
    static final String D = "/v2/models/" + DISCRIMINATOR + "/infer";
    static final String G = "/v2/models/" + GENERATOR + "/infer";
    static final long[] ONE_IMAGE = {1, 1, 32, 32};

    @Test
    void unknownModel() {
        assertError(postJson("/v2/models/unknown/infer", Map.of("inputs", List.of())), 404, "no model named 'unknown'");
        assertError(postJson("/v2/models/" + GENERATOR + "/versions/2/infer", Map.of("inputs", List.of())), 404,
                "has no version '2'");
    }

    @Test
    void wrongShape() {
        assertError(postJson(D, Map.of("inputs", List.of(jsonInput("image", new long[] {1, 3, 32, 32},
                new float[3 * 1024])))), 400, "takes FP32 [N, 1, 32, 32]");
        assertError(postJson(G, Map.of("inputs", List.of(jsonInput("z", new long[] {100}, new float[100])))), 400,
                "has shape [100]; model '" + GENERATOR + "' takes FP32 [N, 100]");
        assertError(postJson(G, Map.of("inputs", List.of(jsonInput("z", new long[] {0, 100}, new float[0])))), 400,
                "N >= 1");
        assertError(postJson(G, Map.of("inputs", List.of(jsonInput("z", new long[] {2, 100}, new float[150])))), 400,
                "has 150 values; shape [2, 100] needs 200");
    }

    @Test
    void wrongDatatype() {
        assertError(postJson(G, Map.of("inputs", List.of(Map.of("name", "z", "datatype", "FP64", "shape",
                new long[] {1, 100}, "data", new double[100])))), 400, "is FP64; model '" + GENERATOR + "' takes FP32");
        assertError(postJson(G, Map.of("inputs", List.of(Map.of("name", "z", "datatype", "float32", "shape",
                new long[] {1, 100}, "data", new double[100])))), 400, "which the protocol does not define");
        assertError(postJson(G, Map.of("inputs", List.of(Map.of("name", "z", "datatype", "FP32", "shape",
                new long[] {1, 100}, "data", java.util.Collections.nCopies(100, "0.5"))))), 400, "carries strings");
    }

    @Test
    void wrongBinarySize() {
        // declares one image's 4096 bytes but sends 4000
        assertError(postBinary(D, Map.of("inputs", List.of(Map.of("name", "image", "datatype", "FP32",
                "shape", ONE_IMAGE, "parameters", Map.of("binary_data_size", 4000))))
                , new float[1000]), 400, "has 4000 bytes of binary data; shape [1, 1, 32, 32] of FP32 needs 4096");
        // declares more than the body holds
        assertError(postBinary(D, Map.of("inputs", List.of(binaryInput("image", ONE_IMAGE, 1024))), new float[10]),
                400, "only 40 bytes of binary data are left");
        // bytes left over after the declared tensors
        assertError(postBinary(D, Map.of("inputs", List.of(binaryInput("image", ONE_IMAGE, 1024))), new float[1025]),
                400, "4 bytes after the JSON");
    }

    @Test
    void missingOrWrongInferenceHeaderContentLength() {
        byte[] header = OipRest.json(Map.of("inputs", List.of(binaryInput("image", ONE_IMAGE, 1024))));
        byte[] body = OipRest.framed(header, OipRest.littleEndian(new float[1024]));
        assertError(given().contentType("application/octet-stream").body(body).post(D), 400,
                "Inference-Header-Content-Length");
        // the JSON alone, binary_data_size declared, no header: the client forgot the extension's header
        assertError(given().contentType("application/json").body(header).post(D), 400,
                "declares binary_data_size but the request has no Inference-Header-Content-Length header");
        assertError(given().header(OipRest.HEADER, "lots").body(body).post(D), 400, "must be the JSON object's length");
        assertError(given().header(OipRest.HEADER, body.length + 1).body(body).post(D), 400, "but the body has");
        assertError(given().header(OipRest.HEADER, header.length - 5).body(body).post(D), 400, "not valid JSON");
    }

    @Test
    void malformedOrIncompleteRequests() {
        assertError(given().contentType("application/json").body("{\"inputs\": [".getBytes(StandardCharsets.UTF_8))
                .post(D), 400, "not valid JSON");
        assertError(given().contentType("application/json").post(D), 400, "has no body");
        assertError(given().contentType("application/json").body("[1, 2]").post(D), 400, "must be a JSON object");
        assertError(postJson(D, Map.of("id", "x")), 400, "has no inputs");
        assertError(postJson(D, Map.of("inputs", List.of(jsonInput("pixels", ONE_IMAGE, new float[1024])))), 400,
                "has no input 'pixels'; its one input is 'image'");
        assertError(postJson(D, Map.of("inputs", List.of(Map.of("name", "image", "datatype", "FP32",
                "shape", ONE_IMAGE)))), 400, "has no data");
        assertError(postJson(D, Map.of("inputs", List.of(jsonInput("image", ONE_IMAGE, new float[1024])),
                "outputs", List.of(Map.of("name", "probability")))), 400, "has no output 'probability'; its one output is 'logit'");
        assertError(postJson(D, Map.of("inputs", List.of(jsonInput("image", ONE_IMAGE, new float[1024])),
                "parameters", Map.of("binary_data_output", "yes"))), 400, "binary_data_output must be true or false");
        assertError(postJson(D, Map.of("inputs", List.of(Map.of("name", "image", "datatype", "FP32",
                "shape", List.of(1.5, 1), "data", List.of(1))))), 400, "must be an array of integers");
    }

    @Test
    void valuesMustBeFiniteAndImagesInRange() {
        float[] image = new float[1024];
        image[7] = Float.NaN;
        assertError(postBinary(D, Map.of("inputs", List.of(binaryInput("image", ONE_IMAGE, 1024))), image), 400,
                "element 7 (item 0) is NaN");
        image[7] = 3f;
        assertError(postBinary(D, Map.of("inputs", List.of(binaryInput("image", ONE_IMAGE, 1024))), image), 400,
                "is 3.0; images are in [-1, 1]");
        float[] z = new float[100];
        z[99] = Float.POSITIVE_INFINITY;
        assertError(postBinary(G, Map.of("inputs", List.of(binaryInput("z", new long[] {1, 100}, 100))), z), 400,
                "element 99 (item 0) is Infinity");
    }

    @Test
    void batchesOverTheLimitsAre413() {
        // forger.limits.max-images-per-request is 64, forger.limits.max-count 256
        assertError(postBinary(D, Map.of("inputs", List.of(binaryInput("image", new long[] {65, 1, 32, 32}, 65 * 1024))),
                new float[65 * 1024]), 413, "at most 64 per request (forger.limits.max-images-per-request)");
        assertError(postBinary(G, Map.of("inputs", List.of(binaryInput("z", new long[] {257, 100}, 25700))),
                new float[25700]), 413, "at most 256");
    }

    @Test
    void theProtocolTakesNoQueryParameters() {
        assertError(given().contentType("application/json").body(OipRest.json(Map.of("inputs",
                List.of(jsonInput("image", ONE_IMAGE, new float[1024]))))).post(D + "?binary=true"), 400,
                "unknown query parameter 'binary'");
        assertError(given().get("/v2/models/" + GENERATOR + "?verbose=1"), 400, "takes no query parameters");
    }

    @Test
    void theModelRepositoryIsOffUnlessConfigured() {
        assertError(given().post("/v2/repository/index"), 403, "forger.oip.repository.enabled=true");
        assertError(given().post("/v2/repository/models/" + TestBundles.ZIPPED + "/load"), 403, "is off");
        assertError(given().post("/v2/repository/models/" + TestBundles.ZIPPED + "/unload"), 403, "is off");
    }

    @Test
    void refusalsAreCountedAndTheServiceKeepsServing() {
        double unknown = rejected("unknown-model");
        double invalid = rejected("invalid-parameter");
        assertError(postJson("/v2/models/unknown/infer", Map.of("inputs", List.of())), 404, "unknown");
        assertError(postJson(D, Map.of("inputs", List.of())), 400, "no inputs");
        assertThat(rejected("unknown-model")).isEqualTo(unknown + 1);
        assertThat(rejected("invalid-parameter")).isEqualTo(invalid + 1);
        assertThat(postJson(D, Map.of("inputs", List.of(jsonInput("image", ONE_IMAGE, new float[1024]))))
                .statusCode()).isEqualTo(200);
    }

    /** forger_rejected_requests_total for one reason, as Prometheus scrapes it. */
    static double rejected(String reason) {
        String prefix = "forger_rejected_requests_total{reason=\"" + reason + "\"";
        return given().accept("text/plain").get("/q/metrics").asString().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + prefix));
    }
}
