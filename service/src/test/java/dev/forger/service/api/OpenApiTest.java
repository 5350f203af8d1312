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

    private static JsonPath openApi() {
        return given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
    }
}
