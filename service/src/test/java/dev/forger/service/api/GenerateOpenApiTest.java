package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generation endpoints' OpenAPI: typed parameters, and examples that work as they are in Swagger UI. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class GenerateOpenApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRequestBodyExampleWorksAsItIs() throws Exception {
        JsonPath doc = openApi();
        int tried = 0;
        for (String path : List.of("/api/v1/generate", "/api/v1/generate/walk", "/api/v1/generate/arithmetic")) {
            Map<String, Map<String, Object>> examples =
                    doc.getMap("paths.'" + path + "'.post.requestBody.content.'application/json'.examples");
            assertThat(examples).as(path).isNotEmpty();
            for (Map.Entry<String, Map<String, Object>> example : examples.entrySet()) {
                String body = JSON.writeValueAsString(example.getValue().get("value"));
                given().contentType(ContentType.JSON).body(body).post(path).then()
                        .statusCode(200); // as Swagger UI sends it
                tried++;
            }
        }
        assertThat(tried).isGreaterThanOrEqualTo(8);
        // the explicit-latents example has the default model's dimension
        assertThat(JSON.readTree(GenerateExamples.EXPLICIT_LATENTS).path("latents").get(0).size()).isEqualTo(100);
    }

    @Test
    void generatesQueryParametersAreTyped() {
        List<Map<String, Object>> parameters = openApi().getList("paths.'/api/v1/generate'.get.parameters");
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        parameters.forEach(p -> byName.put((String) p.get("name"), p));
        assertThat(byName).containsKeys("count", "seed", "offset", "model", "format").doesNotContainKey("Accept");
        assertThat(schema(byName, "count")).containsEntry("type", "integer").containsEntry("minimum", 1);
        assertThat(schema(byName, "seed")).containsEntry("type", "integer");
        assertThat(schema(byName, "offset")).containsEntry("type", "integer").containsEntry("minimum", 0);
        assertThat(String.valueOf(schema(byName, "format").get("enum"))).isEqualTo("[png, grid, npy, zip, tar, json]");
        for (String name : List.of("count", "seed", "offset", "format")) {
            Object example = byName.get(name).get("example");
            assertThat(example).as(name + "'s example").isNotNull();
            // each example is accepted as it stands
            given().queryParam(name, example).get("/api/v1/generate").then().statusCode(200);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(Map<String, Map<String, Object>> byName, String name) {
        return (Map<String, Object>) byName.get(name).get("schema");
    }

    private static JsonPath openApi() {
        return given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
    }
}
