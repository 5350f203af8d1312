package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.Pixels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What /attack reports is what it returns: over random float uploads (between the grey levels) and random ε,
 * every image returned as PNG (json) or 8-bit npy lies within ε of the 8-bit version of its upload, every float
 * npy image within ε of the upload itself, in the units reported; images already at their goal are flagged, and
 * skipAtGoal=false attacks them too.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class HonestNumbersApiTest {
    private static final ImageShape SHAPE = new ImageShape(1, 32, 32);
    private static final int IMAGES = 2;
    private static final List<String> METHODS = List.of("fgsm", "fgm", "bim", "pgd", "mifgsm", "apgd", "spsa",
            "square");

    @Test
    void everyReturnedImageIsWithinEpsilonInJsonAndNpy() {
        SplittableRandom random = new SplittableRandom(7);
        ImageDecoder decoder = new ImageDecoder(4096);
        for (int c = 0; c < METHODS.size(); c++) {
            String method = METHODS.get(c % METHODS.size());
            boolean l2 = method.equals("fgm") || (!List.of("fgsm", "spsa").contains(method) && random.nextBoolean());
            double epsilon = l2 ? random.nextDouble(0.002, 2.0) : random.nextDouble(0.001, 0.1);
            float[] upload = randomImages(random);
            String query = String.format(Locale.ROOT, "/api/v1/attack?method=%s&norm=%s&epsilon=%s&steps=3&queries=60"
                    + "&seed=%d", method, l2 ? "l2" : "linf", epsilon, c);
            String what = method + (l2 ? " l2" : " linf") + " ε=" + epsilon;
            byte[] npy = NpyWriter.write(new ImageBatch(SHAPE, IMAGES, upload));

            JsonPath json = exact(given().contentType("application/x-npy").body(npy).post(query).then()
                    .statusCode(200).extract().asString());
            for (int i = 0; i < IMAGES; i++) {
                float[] returned = decoder.decode(Base64.getDecoder().decode(json.getString("results[" + i + "].image")),
                        "png").data();
                double[] norms = greyLevelNorms(returned, upload, i);
                assertWithin(norms, epsilon, l2, "json " + what);
                assertThat(json.getDouble("results[" + i + "].linf")).as(what).isEqualTo(norms[0]);
            }

            byte[] eightBit = given().contentType("application/x-npy").accept("application/x-npy").body(npy)
                    .post(query + "&quantize=true").then().statusCode(200).extract().asByteArray();
            float[] returned = NpyReader.read(eightBit, IMAGES).data();
            for (int i = 0; i < IMAGES; i++) {
                assertWithin(greyLevelNorms(offset(returned, i), upload, i), epsilon, l2, "8-bit npy " + what);
            }

            Response floats = given().contentType("application/x-npy").accept("application/x-npy").body(npy)
                    .post(query + "&quantize=false");
            floats.then().statusCode(200);
            float[] exact = NpyReader.read(floats.asByteArray(), IMAGES).data();
            String[] reported = floats.header("X-Forger-Linf").split(",");
            for (int i = 0; i < IMAGES; i++) {
                double[] norms = floatNorms(exact, upload, i);
                assertWithin(norms, epsilon, l2, "float npy " + what);
                assertThat(Double.parseDouble(reported[i])).as(what).isCloseTo(norms[0],
                        org.assertj.core.api.Assertions.within(norms[0] * 1e-5));
            }
        }
    }

    @Test
    void imagesAlreadyAtTheirGoalAreFlaggedAndAttackedOnlyWhenAsked() {
        byte[] digit = given().get("/api/v1/generate?count=1&seed=3").then().statusCode(200).extract().asByteArray();
        double logit = given().contentType("image/png").body(digit).post("/api/v1/score").then().statusCode(200)
                .extract().jsonPath().getDouble("results[0].logit");
        String reached = logit < 0 ? "fake" : "real";
        String query = "/api/v1/attack?method=fgsm&epsilon=0.05&goal=" + reached;

        given().contentType("image/png").body(digit).post(query).then().statusCode(200)
                .body("parameters.skipAtGoal", equalTo(true))
                .body("results[0].alreadyAtGoal", equalTo(true)).body("results[0].success", equalTo(true))
                .body("results[0].linf", equalTo(0.0f)).body("results[0].gradientCalls", equalTo(0));

        JsonPath textbook = exact(given().contentType("image/png").body(digit).post(query + "&skipAtGoal=false")
                .then().statusCode(200).body("parameters.skipAtGoal", equalTo(false))
                .body("results[0].alreadyAtGoal", equalTo(true)).body("results[0].gradientCalls", equalTo(1))
                .extract().asString());
        assertThat(textbook.getDouble("results[0].linf")).as("the textbook FGSM perturbs it by ε")
                .isEqualTo(Math.floor(0.05 * 255) / 255);

        String other = reached.equals("fake") ? "real" : "fake";
        given().contentType("image/png").accept("image/png").body(digit)
                .post("/api/v1/attack?method=fgsm&epsilon=0.05&goal=" + other).then().statusCode(200)
                .header("X-Forger-Already-At-Goal", "false");
    }

    /** The JSON with its numbers read as doubles, as they were written (RestAssured reads floats by default). */
    private static JsonPath exact(String json) {
        return JsonPath.from(json).using(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static void assertWithin(double[] norms, double epsilon, boolean l2, String what) {
        assertThat(norms[0]).as("L∞, %s", what).isLessThanOrEqualTo(epsilon);
        if (l2) {
            assertThat(norms[1]).as("L2, %s", what).isLessThanOrEqualTo(epsilon);
        }
    }

    private static float[] randomImages(SplittableRandom random) {
        float[] x = new float[IMAGES * SHAPE.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    private static float[] offset(float[] all, int image) {
        float[] one = new float[SHAPE.size()];
        System.arraycopy(all, image * SHAPE.size(), one, 0, one.length);
        return one;
    }

    /** {L∞, L2} in pixel units between an 8-bit image and the 8-bit version of upload image {@code i}. */
    private static double[] greyLevelNorms(float[] returned, float[] upload, int i) {
        int max = 0;
        long squares = 0;
        for (int j = 0; j < SHAPE.size(); j++) {
            int level = Pixels.toPixel(returned[j]);
            assertThat(Pixels.toModel(level)).as("an 8-bit value").isEqualTo(returned[j]);
            int d = level - Pixels.toPixel(upload[i * SHAPE.size() + j]);
            max = Math.max(max, Math.abs(d));
            squares += (long) d * d;
        }
        return new double[] {max / 255.0, Math.sqrt(squares) / 255.0};
    }

    /** {L∞, L2} in pixel units between float image {@code i} of both batches, in double. */
    private static double[] floatNorms(float[] returned, float[] upload, int i) {
        double max = 0;
        double sum = 0;
        for (int j = i * SHAPE.size(); j < (i + 1) * SHAPE.size(); j++) {
            double d = (double) returned[j] - upload[j];
            max = Math.max(max, Math.abs(d));
            sum += d * d;
        }
        return new double[] {max / 2, Math.sqrt(sum) / 2};
    }
}
