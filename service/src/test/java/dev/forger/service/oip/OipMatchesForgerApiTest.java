package dev.forger.service.oip;

import static dev.forger.service.oip.OipRest.binaryInput;
import static dev.forger.service.oip.OipRest.floats;
import static dev.forger.service.oip.OipRest.jsonInput;
import static dev.forger.service.oip.OipRest.postBinary;
import static dev.forger.service.oip.OipRest.postJson;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.fixture.NpyFiles;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.inference.LatentSampler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protocol serves exactly what Forger's own API serves: for the same inputs, the discriminator's logits
 * and the generator's images through {@code /v2} (JSON and binary) equal those of {@code /api/v1/score} and
 * {@code /api/v1/generate}, bit for bit, for the test bundle and the embedded trained one.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class OipMatchesForgerApiTest {
    static final int COUNT = 8;
    static final long SEED = 5;

    @Test
    void generatorImagesEqualGenerateNpyBitForBit() {
        for (String bundle : List.of(TestBundles.DEFAULT, "mnist-dcgan")) {
            byte[] npy = given().get("/api/v1/generate?count=" + COUNT + "&seed=" + SEED + "&format=npy&model=" + bundle)
                    .then().statusCode(200).extract().asByteArray();
            float[] expected = npyFloats(npy);
            // the latents /generate drew for this seed: both bundles' latent is uniform [-1, 1] of 100
            float[] z = LatentSampler.sample(BundleManifest.Latent.uniform(TinyBundle.LATENT_DIM, -1, 1), SEED, COUNT);
            String path = "/v2/models/" + bundle + "-generator/infer";

            Response binary = postBinary(path, Map.of("inputs", List.of(binaryInput("z", new long[] {COUNT, 100}, z.length)),
                    "parameters", Map.of("binary_data_output", true)), z);
            assertThat(binary.statusCode()).as(binary.asString()).isEqualTo(200);
            int header = Integer.parseInt(binary.header(OipRest.HEADER));
            byte[] body = binary.asByteArray();
            assertBits(OipRest.floatsOf(body, header, body.length - header), expected, bundle + " binary");

            Response json = postJson(path, Map.of("inputs", List.of(jsonInput("z", new long[] {COUNT, 100}, z))));
            assertBits(floats(OipRestApiTest.okTree(json).get("outputs").get(0).get("data")), expected, bundle + " JSON");
        }
    }

    @Test
    void discriminatorLogitsEqualScoreBitForBit() {
        for (String bundle : List.of(TestBundles.DEFAULT, "mnist-dcgan")) {
            // generated digits (realistic inputs) and noise over all of [-1, 1]
            float[] generated = npyFloats(given().get("/api/v1/generate?count=" + COUNT + "&seed=9&format=npy&model="
                    + bundle).then().statusCode(200).extract().asByteArray());
            for (float[] images : List.of(generated, OipRest.images(COUNT, 11))) {
                byte[] npy = NpyFiles.npy("<f4", "(" + COUNT + ", 1, 32, 32)", OipRest.littleEndian(images));
                List<Float> scored = given().contentType("application/x-npy").body(npy)
                        .post("/api/v1/score?model=" + bundle).then().statusCode(200).extract().jsonPath()
                        .getList("results.logit", Float.class);
                float[] expected = new float[COUNT];
                for (int i = 0; i < COUNT; i++) {
                    expected[i] = scored.get(i);
                }
                String path = "/v2/models/" + bundle + "-discriminator/infer";
                long[] shape = {COUNT, 1, 32, 32};
                Response binary = postBinary(path, Map.of("inputs", List.of(binaryInput("image", shape, images.length)),
                        "outputs", List.of(Map.of("name", "logit", "parameters", Map.of("binary_data", true)))), images);
                int header = Integer.parseInt(binary.header(OipRest.HEADER));
                assertBits(OipRest.floatsOf(binary.asByteArray(), header, COUNT * 4), expected, bundle + " binary");
                Response json = postJson(path, Map.of("inputs", List.of(jsonInput("image", shape, images))));
                assertBits(floats(OipRestApiTest.okTree(json).get("outputs").get(0).get("data")), expected,
                        bundle + " JSON");
            }
        }
    }

    private static void assertBits(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as(what + " element " + i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    /** The float32 payload of a .npy file (header length at bytes 8-9, little-endian). */
    static float[] npyFloats(byte[] npy) {
        ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int start = 10 + (b.getShort(8) & 0xffff);
        return OipRest.floatsOf(npy, start, npy.length - start);
    }
}
