package dev.forger.service.api;

import static dev.forger.service.api.GenerateApiTest.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ImageShape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Robustness evaluations as jobs: submit, watch, read the report and chart, cancel. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class EvaluateApiTest {

    @Test
    void aGeneratedEvaluationRunsAsAJobAndReportsEverySweepPoint() {
        Response accepted = given().contentType(ContentType.JSON).body(Map.of("count", 8, "seed", 5,
                        "attacks", List.of(Map.of("method", "fgsm"), Map.of("method", "deepfool", "steps", 10)),
                        "epsilons", List.of(0.01, 0.05)))
                .post("/api/v1/evaluate");
        accepted.then().statusCode(202).header("Location", containsString("/api/v1/evaluate/"))
                .body("state", org.hamcrest.Matchers.oneOf("queued", "running")).body("progress.total", equalTo(3));
        JsonPath done = awaitFinished(accepted.header("Location"));
        assertThat(done.getString("state")).isEqualTo("succeeded");
        assertThat(done.getInt("progress.done")).isEqualTo(3);
        assertThat(done.getString("report.images.source")).isEqualTo("generated");
        assertThat(done.getInt("report.images.count")).isEqualTo(8);
        assertThat(done.getList("report.sweep.method")).containsExactly("fgsm", "fgsm");
        assertThat(done.getList("report.sweep.epsilon", Float.class)).containsExactly(0.01f, 0.05f);
        for (int i = 0; i < 2; i++) {
            assertThat(done.getDouble("report.sweep[" + i + "].successRate")).isBetween(0.0, 1.0);
            // ε is a promise on the 8-bit images returned, with no allowance for rounding
            assertThat(done.getDouble("report.sweep[" + i + "].meanLinf"))
                    .isLessThanOrEqualTo(done.getDouble("report.sweep[" + i + "].epsilon"));
        }
        assertThat(done.getString("report.minimal[0].method")).isEqualTo("deepfool");
        assertThat(done.getList("report.minimal[0].l2")).hasSize(8);
        assertThat(done.getList("report.smallestL2")).hasSize(8);

        byte[] chart = given().get(accepted.header("Location") + "/chart").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        ImageShape drawn = new ImageDecoder(4096).decode(chart, "chart").shape();
        assertThat(drawn.width()).isEqualTo(1120);
        assertThat(drawn.height()).isEqualTo(400);
    }

    @Test
    void largeEvaluationsRunInPiecesThatFitTheBatchersQueues() {
        // spsa probes 65 images per image and step: 256 images at once would be 260 chunks of 64,
        // more than the discriminator's queue of 256 takes; the evaluation runs 64 images at a time
        String job = given().contentType(ContentType.JSON).body(Map.of("count", 256, "seed", 1,
                        "attacks", List.of(Map.of("method", "spsa", "queries", 130)), "epsilons", List.of(0.05)))
                .post("/api/v1/evaluate").then().statusCode(202).extract().header("Location");
        JsonPath done = awaitFinished(job);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("report.images.count")).isEqualTo(256);
        assertThat(done.getDouble("report.sweep[0].meanGradientCalls")).isZero();
        assertThat(done.getDouble("report.sweep[0].meanForwardCalls")).isBetween(2.0, 132.0);
    }

    @Test
    void uploadedImagesInAZipAreEvaluatedWithTheSweepFromTheQuery() throws IOException {
        byte[] digit = given().get("/api/v1/generate?count=1&seed=2").then().statusCode(200).extract().asByteArray();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (String name : List.of("digits/a.png", "digits/b.png", "digits/c.png")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(digit);
                out.closeEntry();
            }
        }
        Response accepted = given().contentType("application/zip").body(zip.toByteArray())
                .post("/api/v1/evaluate?attacks=fgsm,bim&epsilons=0.02&seed=3");
        accepted.then().statusCode(202);
        JsonPath done = awaitFinished(accepted.header("Location"));
        assertThat(done.getString("state")).isEqualTo("succeeded");
        assertThat(done.getString("report.images.source")).isEqualTo("upload");
        assertThat(done.getInt("report.images.count")).isEqualTo(3);
        assertThat(done.getList("report.sweep.method")).containsExactly("fgsm", "bim");
        // the same image three times: every image fares alike
        assertThat(done.getDouble("report.sweep[0].successRate")).isIn(0.0, 1.0);
    }

    @Test
    void aRunningEvaluationCanBeCancelledAndAFinishedOneForgotten() {
        String job = given().contentType(ContentType.JSON).body(Map.of("count", 4,
                        "attacks", List.of(Map.of("method", "pgd", "steps", 1000)), "epsilons", List.of(0.01, 0.02)))
                .post("/api/v1/evaluate").then().statusCode(202).extract().header("Location");
        given().delete(job).then().statusCode(200).body("state", equalTo("cancelled"));
        assertThat(awaitFinished(job).getString("state")).isEqualTo("cancelled");
        given().delete(job).then().statusCode(204);
        problem(given().get(job), 404, "not-found", "id", "no evaluation job");
    }

    @Test
    void theHistoryListsEvaluationsWithWhatItTakesToRepeatThemAndTheirHeadlineNumbers() {
        double before = metric("forger_images_generated_total", "model=\"" + TestBundles.DEFAULT + "\"");
        double generatedBefore = Double.isNaN(before) ? 0 : before;
        String job = given().contentType(ContentType.JSON).body(Map.of("count", 5, "seed", 21,
                        "attacks", List.of(Map.of("method", "fgsm"), Map.of("method", "deepfool", "steps", 5)),
                        "epsilons", List.of(0.02, 0.04)))
                .post("/api/v1/evaluate").then().statusCode(202).extract().header("Location");
        JsonPath done = awaitFinished(job);
        assertThat(done.getString("state")).isEqualTo("succeeded");
        assertThat(done.getString("model.sha256")).matches("[0-9a-f]{64}");
        assertThat(metric("forger_images_generated_total", "model=\"" + TestBundles.DEFAULT + "\"") - generatedBefore)
                .as("images an evaluation generates count as generated").isEqualTo(5.0);

        JsonPath history = given().get("/api/v1/evaluations?model=" + TestBundles.DEFAULT + "&state=succeeded&limit=50").then()
                .statusCode(200).extract().jsonPath();
        String id = job.substring(job.lastIndexOf('/') + 1);
        String e = "find { it.id == '" + id + "' }.";
        assertThat(history.getString(e + "id")).as("the job in the history").isEqualTo(id);
        assertThat(history.getLong(e + "seed")).isEqualTo(21);
        assertThat(history.getString(e + "forgerVersion")).isNotBlank();
        assertThat(history.getString(e + "model.name")).isEqualTo(TestBundles.DEFAULT);
        assertThat(history.getString(e + "model.version")).isNotBlank();
        assertThat(history.getString(e + "model.sha256")).isEqualTo(done.getString("model.sha256"));
        assertThat(history.getList(e + "parameters.epsilons", Float.class)).containsExactly(0.02f, 0.04f);
        assertThat(history.getList(e + "parameters.attacks.method")).containsExactly("fgsm", "deepfool");
        assertThat(history.getInt(e + "parameters.images.count")).isEqualTo(5);
        assertThat(history.getList(e + "headline.method")).containsExactly("fgsm", "fgsm", "deepfool");
        assertThat(history.getDouble(e + "headline[0].successRate")).isEqualTo(done.getDouble("report.sweep[0].successRate"));
        assertThat(given().get("/api/v1/evaluations?state=cancelled&limit=50").then().statusCode(200).extract()
                .jsonPath().getList("id")).doesNotContain(id);

        problem(given().get("/api/v1/evaluations?state=finished"), 400, "invalid-parameter", "state", "succeeded");
        problem(given().get("/api/v1/evaluations?limit=0"), 400, "invalid-parameter", "limit", "500");
        assertThat(metric("forger_evaluation_units", "state=\"queued\"")).isGreaterThanOrEqualTo(0.0);
    }

    /** The value of the first series of {@code name} whose labels include {@code label}, from /q/metrics; NaN if none. */
    static double metric(String name, String label) {
        String text = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.substring(0, line.indexOf('}')).contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN; // no such series
    }

    @Test
    void badSweepsAreRefusedBeforeAnyJobStarts() {
        problem(given().contentType(ContentType.JSON).body(Map.of("epsilons", List.of(-0.1)))
                .post("/api/v1/evaluate"), 400, "invalid-parameter", "epsilons", "positive");
        problem(given().contentType(ContentType.JSON).body(Map.of("attacks", List.of(Map.of("method", "nope"))))
                .post("/api/v1/evaluate"), 400, "invalid-parameter", "method", "fgsm");
        problem(given().contentType(ContentType.JSON).body(Map.of("attacks", List.of(Map.of("method", "pgd",
                "steps", 99999)))).post("/api/v1/evaluate"), 400, "invalid-parameter", "steps", "1000");
        problem(given().contentType(ContentType.JSON).body(Map.of("count", 100000))
                .post("/api/v1/evaluate"), 400, "invalid-parameter", "count", "256");
        problem(given().contentType(ContentType.JSON).body("{\"attacks\": [{\"method\": \"pgd\", \"speed\": 3}]}")
                .post("/api/v1/evaluate"), 400, "malformed-json", "attacks[0].speed", "speed");
        problem(given().get("/api/v1/evaluate/no-such-job"), 404, "not-found", "id", "no evaluation job");
    }

    static JsonPath awaitFinished(String job) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath status = given().get(job).then().statusCode(200).extract().jsonPath();
            if (List.of("succeeded", "failed", "cancelled").contains(status.getString("state"))) {
                return status;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + job);
            }
        }
        throw new AssertionError(job + " did not finish within 90 s");
    }
}
