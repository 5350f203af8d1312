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
    void theReportsRequestPostedAgainReproducesItsNumbersBitForBit() {
        String first = given().contentType(ContentType.JSON).body(Map.of("count", 6, "seed", 11,
                        "attacks", List.of(Map.of("method", "auto", "steps", 5, "queries", 40), "fgsm",
                                Map.of("method", "deepfool", "steps", 5)),
                        "epsilons", List.of(2 / 255.0, 8 / 255.0)))
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
            assertThat(cells).hasSize(15);
            boolean brokenByAMember = cells[4].equals("true") && cells[5].equals("false");
            if (cells[1].equals("auto")) {
                assertThat(cells[14]).as("auto names the member that broke an image: " + row)
                        .isIn(brokenByAMember ? List.of("apgd", "apgd-margin", "square") : List.of(""));
            }
        }

        String again = given().contentType(ContentType.JSON).body(done.getMap("request")).post("/api/v1/evaluate")
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
