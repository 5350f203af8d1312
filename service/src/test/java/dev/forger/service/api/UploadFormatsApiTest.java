package dev.forger.service.api;

import static dev.forger.service.api.GenerateApiTest.problem;
import static dev.forger.service.api.MistakesCorpusApiTest.digitPng;
import static dev.forger.service.api.MistakesCorpusApiTest.reencoded;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The formats the README promises are the ones read: PNG, JPEG, GIF and BMP under their own media types or
 * application/octet-stream, each read from its bytes; the same digit scores the same in each lossless format.
 * A mislabelled body is named for what it holds. Evaluations take the "fgsm" shorthand.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class UploadFormatsApiTest {

    @Test
    void everyLosslessFormatScoresLikeThePngItCameFrom() {
        double png = logit("image/png", digitPng());
        assertThat(logit("application/octet-stream", digitPng())).isEqualTo(png);
        assertThat(logit("image/gif", reencoded("gif"))).isCloseTo(png, within(1e-5));
        assertThat(logit("image/bmp", reencoded("bmp"))).isCloseTo(png, within(1e-5));
        assertThat(logit("application/octet-stream", reencoded("bmp"))).isCloseTo(png, within(1e-5));
        logit("image/jpeg", reencoded("jpeg")); // lossy, but read
        given().multiPart("image", "a.gif", reencoded("gif"), "image/gif")
                .multiPart("image", "b.bin", reencoded("bmp"), "application/octet-stream")
                .post("/api/v1/score").then().statusCode(200).body("results.size()", org.hamcrest.Matchers.is(2));
    }

    @Test
    void aMislabelledBodyIsNamedForWhatItHolds() {
        problem(given().contentType("image/png").body(reencoded("bmp")).post("/api/v1/score"), 415,
                "content-type-mismatch", "body", "labelled image/png but holds a BMP image; label it image/bmp");
        problem(given().multiPart("image", "a.png", reencoded("gif"), "image/png").post("/api/v1/score"), 415,
                "content-type-mismatch", "image[0]", "holds a GIF image");
        problem(given().contentType("image/png").body(MistakesCorpusApiTest.withoutLineBreaks(digitPng()))
                .post("/api/v1/score"), 415, "not-an-image", "body", "curl --data-binary");
    }

    @Test
    void anEvaluationTakesMethodNamesForAttacksAtTheirDefaults() {
        given().contentType(ContentType.JSON).body(Map.of("count", 2, "seed", 1, "attacks", List.of("fgsm",
                        Map.of("method", "bim", "steps", 2)), "epsilons", List.of(0.03)))
                .post("/api/v1/evaluate").then().statusCode(202)
                .body("progress.total", org.hamcrest.Matchers.is(2));
    }

    private static double logit(String type, byte[] body) {
        return given().contentType(type).body(body).post("/api/v1/score").then().statusCode(200).extract()
                .jsonPath().getDouble("results[0].logit");
    }
}
