package dev.forger.service.api;

import static dev.forger.service.api.GenerateApiTest.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.NpyWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/v1/attack as clients use it: every upload style and answer format, and every refusal. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class AttackApiTest {
    private static final ImageShape SHAPE = new ImageShape(1, 32, 32);
    private static final double HALF_GREY_LEVEL = 0.5 / 255;
    private static byte[] digitPng;
    private static float[] digitPixels;

    @BeforeEach
    void generateDigits() {
        if (digitPng == null) {
            digitPng = given().get("/api/v1/generate?count=1&seed=11").then().statusCode(200).extract().asByteArray();
            digitPixels = new ImageDecoder(4096).decode(digitPng, "png").data();
        }
    }

    @Test
    void jsonReportsBothVerdictsAndTheAdversarialImageWhoseScoreIsTheReportedOne() {
        Response r = given().contentType("image/png").body(digitPng)
                .post("/api/v1/attack?method=pgd&epsilon=0.0314&steps=10&seed=1");
        r.then().statusCode(200).contentType("application/json").body("model", equalTo(TestBundles.DEFAULT))
                .body("method", equalTo("pgd")).body("parameters.epsilon", equalTo(0.0314f))
                .body("parameters.steps", equalTo(10)).body("parameters.quantize", equalTo(true))
                .body("parameters.norm", equalTo("linf")).body("parameters.goal", equalTo("flip"))
                .body("parameters", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("momentum")))
                .body("results", hasSize(1));
        double linf = r.jsonPath().getDouble("results[0].linf");
        assertThat(linf).isLessThanOrEqualTo(0.0314 + HALF_GREY_LEVEL);
        assertThat(r.jsonPath().getInt("results[0].gradientCalls")).isPositive();
        assertThat(r.jsonPath().getInt("results[0].forwardCalls")).isPositive();
        byte[] adversarial = Base64.getDecoder().decode(r.jsonPath().getString("results[0].image"));
        float[] pixels = new ImageDecoder(4096).decode(adversarial, "png").data();
        assertThat(maxAbsDiff(pixels, digitPixels) / 2).isLessThanOrEqualTo(0.0314 + HALF_GREY_LEVEL);
        // quantize=true: the reported verdict is that of exactly the returned PNG
        double scored = given().contentType("image/png").body(adversarial).post("/api/v1/score")
                .then().statusCode(200).extract().jsonPath().getDouble("results[0].logit");
        assertThat(r.jsonPath().getDouble("results[0].adversarial.logit")).isCloseTo(scored, within(1e-4));
        double original = given().contentType("image/png").body(digitPng).post("/api/v1/score")
                .then().extract().jsonPath().getDouble("results[0].logit");
        assertThat(r.jsonPath().getDouble("results[0].original.logit")).isCloseTo(original, within(1e-4));
    }

    @Test
    void acceptImagePngReturnsTheAdversarialPngWithScoresInHeaders() {
        Response r = given().contentType("image/png").accept("image/png").body(digitPng)
                .post("/api/v1/attack?method=fgsm&epsilon=0.05&goal=fake");
        r.then().statusCode(200).contentType("image/png").header("X-Forger-Method", "fgsm");
        assertThat(r.header("X-Forger-Success")).isIn("true", "false");
        assertThat(Double.parseDouble(r.header("X-Forger-Linf"))).isLessThanOrEqualTo(0.05 + HALF_GREY_LEVEL);
        double probability = Double.parseDouble(r.header("X-Forger-Adversarial-Real-Probability"));
        assertThat(r.header("X-Forger-Success")).isEqualTo(Boolean.toString(probability < 0.5));
        assertThat(new ImageDecoder(4096).decode(r.asByteArray(), "png").shape()).isEqualTo(SHAPE);
    }

    @Test
    void anNpyBatchComesBackAsFloatsInsideTheEpsilonBallWhenNotQuantized() {
        float[] two = new float[2 * SHAPE.size()];
        System.arraycopy(digitPixels, 0, two, 0, SHAPE.size());
        for (int i = 0; i < SHAPE.size(); i++) {
            two[SHAPE.size() + i] = -digitPixels[i];
        }
        Response r = given().contentType("application/x-npy").accept("application/x-npy")
                .body(NpyWriter.write(new ImageBatch(SHAPE, 2, two)))
                .post("/api/v1/attack?method=bim&epsilon=0.02&steps=5&quantize=false");
        r.then().statusCode(200).contentType("application/x-npy");
        assertThat(r.header("X-Forger-Success").split(",")).hasSize(2);
        ImageBatch back = NpyReader.read(r.asByteArray(), 64);
        assertThat(back.count()).isEqualTo(2);
        assertThat(maxAbsDiff(back.data(), two) / 2).isLessThanOrEqualTo(0.02 + 1e-6);
        for (float v : back.data()) {
            assertThat(v).isBetween(-1f, 1f);
        }
    }

    @Test
    void multipartAttacksEveryPartAndTheFigureShowsThemAll() {
        given().multiPart("image", "a.png", digitPng, "image/png").multiPart("image", "b.png", digitPng, "image/png")
                .post("/api/v1/attack?method=fgsm&epsilon=0.03").then().statusCode(200)
                .body("results", hasSize(2)).body("results[1].index", equalTo(1));
        byte[] figure = given().multiPart("image", "a.png", digitPng, "image/png")
                .multiPart("image", "b.png", digitPng, "image/png")
                .post("/api/v1/attack?method=fgsm&epsilon=0.03&format=figure").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        ImageShape drawn = new ImageDecoder(4096).decode(figure, "figure").shape();
        assertThat(drawn.width()).isGreaterThan(3 * 96);
        assertThat(drawn.height()).isGreaterThan(2 * 96);
    }

    @Test
    void attacksAreCountedInTheMetrics() {
        given().contentType("image/png").body(digitPng).post("/api/v1/attack?method=fgsm&epsilon=0.03")
                .then().statusCode(200);
        given().accept("text/plain").get("/q/metrics").then()
                .body(containsString("forger_attacks_total{method=\"fgsm\",model=\"" + TestBundles.DEFAULT + "\""))
                .body(containsString("forger_attack_seconds_bucket{method=\"fgsm\""))
                .body(containsString("forger_real_probability_bucket{model=\"" + TestBundles.DEFAULT
                        + "\",source=\"adversarial\""))
                // HTTP latency as a histogram, for the dashboard's quantiles and the p99 alert
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*http_server_requests_seconds_bucket\\{[^}]*"
                        + "uri=\"/api/v1/attack\".*"));
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        problem(post("method=nope"), 400, "invalid-parameter", "method", "fgsm");
        problem(post("method=fgsm&epsilon=abc"), 400, "invalid-parameter", "epsilon", "number");
        problem(post("method=pgd&steps=100000"), 400, "invalid-parameter", "steps", "1000");
        problem(post("method=pgd&norm=l3"), 400, "invalid-parameter", "norm", "l2");
        problem(post("method=pgd&goal=maybe"), 400, "invalid-parameter", "goal", "fake");
        problem(post("method=fgsm&quantize=false"), 400, "invalid-parameter", "quantize", "npy");
        problem(given().contentType("image/png").body(new byte[] {1, 2, 3}).post("/api/v1/attack?method=fgsm"),
                415, "not-an-image", "body", "");
        problem(given().contentType("image/png").body(digitPng).post("/api/v1/attack?model=nope"),
                404, "unknown-model", "model", TestBundles.DEFAULT);
        // and the service still serves
        post("method=fgsm").then().statusCode(200);
    }

    private static Response post(String query) {
        return given().contentType("image/png").body(digitPng).post("/api/v1/attack?" + query);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
