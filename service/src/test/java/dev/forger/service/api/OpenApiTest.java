package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every endpoint, both upload styles, and examples; Swagger UI serves it. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class OpenApiTest {

    @Test
    void everyEndpointIsDescribedWithASummary() {
        JsonPath doc = openApi();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        assertThat(paths).containsKeys("/api/v1/models", "/api/v1/generate", "/api/v1/score", "/api/v1/attack",
                "/api/v1/evaluate", "/api/v1/evaluate/{id}", "/api/v1/evaluate/{id}/chart");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (path.startsWith("/api/")) {
                assertThat(operation).as(method + " " + path).containsKey("summary");
            }
        }));
    }

    @Test
    void uploadsAcceptRawBodiesAndMultipart() {
        JsonPath doc = openApi();
        for (String path : List.of("score", "attack")) {
            Map<String, Object> content = doc.getMap("paths.'/api/v1/" + path + "'.post.requestBody.content");
            assertThat(content).as(path).containsKeys("image/png", "image/jpeg", "application/x-npy",
                    "multipart/form-data");
        }
        assertThat(doc.getMap("paths.'/api/v1/evaluate'.post.requestBody.content"))
                .containsKeys("application/json", "application/x-npy", "application/zip");
    }

    @Test
    void parametersCarryExamples() {
        JsonPath doc = openApi();
        List<Map<String, Object>> attack = doc.getList("paths.'/api/v1/attack'.post.parameters");
        assertThat(attack).extracting(p -> p.get("name"))
                .contains("method", "epsilon", "norm", "steps", "goal", "seed", "quantize", "model", "format");
        assertThat(attack.stream().filter(p -> "epsilon".equals(p.get("name"))).findFirst().orElseThrow())
                .containsKey("example");
        assertThat(doc.getMap("components.schemas.AttackResponse")).isNotEmpty();
        assertThat(doc.getMap("components.schemas.EvaluateRequest")).containsKey("examples"); // OpenAPI 3.1 spelling
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void queryParametersAreTypedAsNumbersBooleansAndEnums() {
        JsonPath doc = openApi();
        List<Map<String, Object>> attack = doc.getList("paths.'/api/v1/attack'.post.parameters");
        assertThat(schema(attack, "epsilon")).containsEntry("type", "number");
        assertThat(schema(attack, "stepSize")).containsEntry("type", "number");
        assertThat(schema(attack, "steps")).containsEntry("type", "integer");
        assertThat(schema(attack, "seed")).containsEntry("type", "integer");
        assertThat(schema(attack, "queries")).containsEntry("type", "integer");
        assertThat(schema(attack, "quantize")).containsEntry("type", "boolean");
        assertThat(schema(attack, "skipAtGoal")).containsEntry("type", "boolean");
        assertThat(schema(attack, "randomStart")).containsEntry("type", "boolean");
        assertThat(schema(attack, "goal")).as("fake, real, flip or a class goal").containsEntry("pattern",
                AttackQuery.GOAL_PATTERN);
        assertThat(schema(attack, "realism")).containsEntry("type", "number");
        assertThat((List<Object>) schema(attack, "space").get("enum")).containsExactly("pixel", "latent");
        assertThat((List<Object>) schema(attack, "norm").get("enum")).containsExactly("linf", "l2");
        assertThat((List<Object>) schema(attack, "method").get("enum")).contains("fgsm", "pgd", "square");
        assertThat((List<Object>) schema(attack, "format").get("enum")).containsExactly("json", "npy", "png", "figure");
        assertThat((List<Object>) schema(attack, "resize").get("enum")).contains("false", "pad", "scale");
        assertThat(attack.stream().filter(p -> "method".equals(p.get("name"))).findFirst().orElseThrow())
                .as("method is required").containsEntry("required", true);
        List<Map<String, Object>> evaluate = doc.getList("paths.'/api/v1/evaluate'.post.parameters");
        assertThat(schema(evaluate, "seed")).containsEntry("type", "integer");
        assertThat((List<Object>) schema(evaluate, "goal").get("enum")).containsExactly("fake", "real", "flip");
        // every query parameter of the API is typed as something, and every example parses as its type
        doc.getMap("paths").forEach((path, operations) -> ((Map<String, Map<String, Object>>) operations)
                .forEach((verb, operation) -> {
                    List<Map<String, Object>> parameters = (List<Map<String, Object>>) operation.get("parameters");
                    for (Map<String, Object> p : parameters == null ? List.<Map<String, Object>>of() : parameters) {
                        if ("query".equals(p.get("in")) && path.toString().startsWith("/api/v1/")) {
                            Map<String, Object> schema = (Map<String, Object>) p.get("schema");
                            assertThat(schema).as(verb + " " + path + " " + p.get("name")).containsKey("type");
                            Object example = p.get("example");
                            if (example != null && "integer".equals(schema.get("type"))) {
                                assertThat(example.toString()).as(p.get("name") + " example").matches("-?\\d+");
                            }
                            if (example != null && "number".equals(schema.get("type"))) {
                                assertThat(Double.parseDouble(example.toString())).as(p.get("name") + " example")
                                        .isFinite();
                            }
                            if (example != null && schema.get("enum") != null) {
                                assertThat((List<Object>) schema.get("enum")).as(p.get("name") + " example")
                                        .contains(example);
                            }
                        }
                    }
                }));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(List<Map<String, Object>> parameters, String name) {
        return (Map<String, Object>) parameters.stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name)).get("schema");
    }

    private static JsonPath openApi() {
        return given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
    }
}
