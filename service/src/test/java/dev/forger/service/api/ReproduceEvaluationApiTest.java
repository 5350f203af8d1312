package dev.forger.service.api;

import static dev.forger.service.api.EvaluateApiTest.awaitFinished;
import static dev.forger.service.api.GenerateApiTest.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An evaluation's report names everything its numbers came from, lists them per image as CSV, and carries the
 * request that computes them again: posted back, it gives the same report and the same CSV, bit for bit.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class ReproduceEvaluationApiTest {

    @Test
    void theReportsRequestPostedAgainReproducesItsNumbersBitForBit() throws java.io.IOException {
        String first = given().contentType(ContentType.JSON).body(Map.of("count", 6, "seed", 11,
                        "attacks", List.of(Map.of("method", "auto", "steps", 5, "queries", 40), "fgsm",
                                Map.of("method", "deepfool", "steps", 5)),
                        "epsilons", List.of(2 / 255.0, 8 / 255.0), "transferTo", List.of(TestBundles.ZIPPED)))
                .post("/api/v1/evaluate").then().statusCode(202).extract().header("Location");
        JsonPath done = awaitFinished(first);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("succeeded");

        // provenance: Forger, every bundle file by sha256, seed, images and each run's resolved parameters
        assertThat(done.getString("provenance.forgerVersion")).isNotBlank();
        assertThat(done.getList("provenance.files.role")).contains("manifest", "generator", "discriminator");
        assertThat(done.getString("provenance.files.find { it.role == 'discriminator' }.sha256"))
                .isEqualTo(done.getString("model.sha256"));
        assertThat(done.getString("provenance.images.sha256")).matches("[0-9a-f]{64}");
        assertThat(done.getLong("provenance.images.seed")).isEqualTo(11);
        assertThat(done.getList("provenance.runs.method")).containsExactly("auto", "auto", "fgsm", "fgsm", "deepfool");
        Map<String, Object> auto = done.getMap("provenance.runs[0].parameters");
        assertThat(auto).containsEntry("steps", 5).containsEntry("queries", 40).containsEntry("seed", 11)
                .containsEntry("goal", "flip").containsEntry("norm", "linf").containsEntry("randomStart", true);
        assertThat(done.getMap("request")).containsEntry("count", 6).containsEntry("seed", 11);

        String csv = given().get(first + "/report.csv").then().statusCode(200).contentType("text/csv")
                .extract().asString();
        List<String> rows = csv.lines().toList();
        assertThat(rows.get(0)).startsWith("image,method,norm,epsilon,success,");
        assertThat(rows).as("one header, one row per image × run").hasSize(1 + 6 * 5);
        assertThat(rows.get(1)).startsWith("0,auto,linf," + (2 / 255.0) + ",");
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            assertThat(cells).as("15 columns and three per transfer target").hasSize(18);
            boolean targetCalledOriginalReal = Float.parseFloat(cells[15]) > 0;
            boolean targetCallsAdversarialReal = Float.parseFloat(cells[16]) > 0;
            assertThat(Boolean.parseBoolean(cells[17])).as("goal flip transfers when the target's own verdict flips: "
                    + row).isEqualTo(targetCalledOriginalReal != targetCallsAdversarialReal);
            boolean brokenByAMember = cells[4].equals("true") && cells[5].equals("false");
            if (cells[1].equals("auto")) {
                assertThat(cells[14]).as("auto names the member that broke an image: " + row)
                        .isIn(brokenByAMember ? List.of("apgd", "apgd-margin", "square") : List.of(""));
            }
        }

        // transfer: per run, the source's success and the share of its adversarial images the target judges alike
        assertThat(rows.get(0)).endsWith("," + TestBundles.ZIPPED + ":originalLogit," + TestBundles.ZIPPED
                + ":adversarialLogit," + TestBundles.ZIPPED + ":transferred");
        List<Map<String, Object>> transfer = done.getList("report.transfer");
        assertThat(transfer).extracting(t -> t.get("method")).containsExactly("auto", "auto", "fgsm", "fgsm", "deepfool");
        for (int t = 0; t < transfer.size(); t++) {
            Map<String, Object> rates = done.getMap("report.transfer[" + t + "].successRate");
            assertThat(rates.keySet()).containsExactly(TestBundles.DEFAULT, TestBundles.ZIPPED);
            // (RestAssured's JsonPath reads JSON numbers as floats)
            assertThat(((Number) rates.get(TestBundles.DEFAULT)).floatValue()).as("the source's own success")
                    .isEqualTo(done.getFloat(t < 4 ? "report.sweep[" + t + "].successRate" : "report.minimal[0].successRate"));
            int run = t;
            long transferred = rows.subList(1 + 6 * run, 1 + 6 * (run + 1)).stream()
                    .filter(r -> r.endsWith(",true")).count();
            assertThat(((Number) rates.get(TestBundles.ZIPPED)).floatValue()).as("the target's share, as the CSV lists it")
                    .isEqualTo((float) (transferred / 6.0));
        }
        assertThat(done.getList("provenance.transferTo.name")).containsExactly(TestBundles.ZIPPED);
        byte[] chart = given().get(done.getString("transferChart")).then().statusCode(200).contentType("image/png")
                .extract().asByteArray();
        assertThat(new dev.forger.service.imaging.ImageDecoder(4096).decode(chart, "chart").shape().width()).isEqualTo(1120);
        assertThat(done.getList("request.transferTo")).containsExactly(TestBundles.ZIPPED);
        problem(given().contentType(ContentType.JSON).body(Map.of("count", 2, "transferTo", List.of("no-such-model")))
                .post("/api/v1/evaluate"), 404, "unknown-model", "model", "no-such-model");
        problem(given().contentType(ContentType.JSON).body(Map.of("count", 2, "transferTo", List.of(TestBundles.DEFAULT)))
                .post("/api/v1/evaluate"), 400, "invalid-parameter", "transferTo", "other models");

        // the completed evaluation as metrics: a success ratio per model, version, attack, norm and ε
        String version = done.getString("model.version");
        double fgsm = EvaluateApiTest.metric("forger_attack_success_ratio", "attack=\"fgsm\",epsilon=\""
                + (8 / 255.0) + "\",model=\"" + TestBundles.DEFAULT + "\",norm=\"linf\",version=\"" + version + "\"");
        assertThat((float) fgsm).isEqualTo(done.getFloat("report.sweep[3].successRate"));
        assertThat((float) EvaluateApiTest.metric("forger_attack_success_ratio", "attack=\"deepfool\",epsilon=\"unbounded\""))
                .isEqualTo(done.getFloat("report.minimal[0].successRate"));
        assertThat(done.getList("report.diagnostics.check")).hasSize(6);

        // the "request" exactly as the service wrote it (a client's own number parsing, e.g. to float, would change ε)
        String request = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given().get(first).asString())
                .get("request").toString();
        String again = given().contentType(ContentType.JSON).body(request).post("/api/v1/evaluate")
                .then().statusCode(202).extract().header("Location");
        assertThat(again).isNotEqualTo(first);
        JsonPath redone = awaitFinished(again);
        assertThat(redone.getString("state")).isEqualTo("succeeded");
        assertThat(given().get(again + "/report.csv").then().statusCode(200).extract().asString())
                .as("the CSV of the repeated evaluation").isEqualTo(csv);
        assertThat(withoutTimes(redone.getMap("report"))).isEqualTo(withoutTimes(done.getMap("report")));
        assertThat(redone.getMap("request")).isEqualTo(done.getMap("request"));
        assertThat(redone.getList("provenance.runs")).isEqualTo(done.getList("provenance.runs"));
        assertThat(redone.getString("provenance.images.sha256")).isEqualTo(done.getString("provenance.images.sha256"));

        problem(given().get("/api/v1/evaluate/no-such-job/report.csv"), 404, "not-found", "id", "no evaluation job");
    }

    @Test
    void uploadedImagesGetATransferMatrixToo() {
        byte[] digits = given().get("/api/v1/generate?count=4&seed=5&format=npy").then().statusCode(200).extract()
                .asByteArray();
        String job = given().contentType("application/x-npy").body(digits)
                .post("/api/v1/evaluate?attacks=fgsm&epsilons=0.0314&transferTo=" + TestBundles.ZIPPED)
                .then().statusCode(202).extract().header("Location");
        JsonPath done = awaitFinished(job);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("succeeded");
        Map<String, Object> rates = done.getMap("report.transfer[0].successRate");
        assertThat(rates.keySet()).containsExactly(TestBundles.DEFAULT, TestBundles.ZIPPED);
        assertThat(((Number) rates.get(TestBundles.DEFAULT)).floatValue())
                .isEqualTo(done.getFloat("report.sweep[0].successRate"));
        assertThat(done.getList("provenance.transferTo.name")).containsExactly(TestBundles.ZIPPED);
        given().get(job + "/transfer").then().statusCode(200).contentType("image/png");

        problem(given().contentType("application/x-npy").body(digits)
                .post("/api/v1/evaluate?attacks=fgsm&transferTo=" + TestBundles.DEFAULT), 400, "invalid-parameter",
                "transferTo", "other models");
        problem(given().contentType("application/x-npy").body(digits)
                .post("/api/v1/evaluate?attacks=fgsm&transferTo=no-such-model"), 404, "unknown-model", "model",
                "no-such-model");
    }

    @Test
    void autoOnAttackSaysWhichMemberBrokeEachImageAndWhatEachMemberSpent() {
        byte[] digits = given().get("/api/v1/generate?count=4&seed=2&format=npy").then().statusCode(200).extract()
                .asByteArray();
        JsonPath r = given().contentType("application/x-npy").accept("application/json").body(digits)
                .post("/api/v1/attack?method=auto&epsilon=0.0627&steps=5&queries=40").then().statusCode(200)
                .extract().jsonPath();
        assertThat(r.getString("method")).isEqualTo("auto");
        assertThat(r.getMap("parameters")).containsEntry("steps", 5).containsEntry("queries", 40);
        assertThat(r.getList("members.method")).containsExactly("apgd", "apgd-margin", "square");
        assertThat(r.getInt("members[0].images")).as("apgd attacks every image").isEqualTo(4);
        assertThat(r.getLong("members[2].gradientCalls")).as("square runs no gradient graph").isZero();
        int broken = 0;
        for (int i = 0; i < 4; i++) {
            boolean success = r.getBoolean("results[" + i + "].success");
            broken += success ? 1 : 0;
            String by = r.getString("results[" + i + "].brokenBy");
            if (success) {
                assertThat(by).as("image " + i).isIn("apgd", "apgd-margin", "square");
            } else {
                assertThat(by).as("image " + i).isNull();
            }
            assertThat(r.getDouble("results[" + i + "].linf")).isLessThanOrEqualTo(0.0627);
        }
        assertThat(r.getInt("members[0].broken") + r.getInt("members[1].broken") + r.getInt("members[2].broken"))
                .isEqualTo(broken);
        assertThat(r.getInt("members[1].images")).as("apgd-margin attacks what apgd left")
                .isEqualTo(4 - r.getInt("members[0].broken"));
    }

    /** The report without its elapsed times, the one thing that differs between two runs of a request. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutTimes(Map<String, Object> report) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(report);
        for (String key : List.of("sweep", "minimal")) {
            copy.put(key, ((List<Map<String, Object>>) report.get(key)).stream().map(p -> {
                Map<String, Object> point = new java.util.LinkedHashMap<>(p);
                point.remove("elapsedMs");
                return point;
            }).toList());
        }
        return copy;
    }
}
