package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/v1/attacks: the catalog a form is built from, and its limits are the ones /attack enforces. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class AttacksApiTest {

    @Test
    void listsEveryMethodWithItsParametersDefaultsAndLimits() {
        JsonPath catalog = given().get("/api/v1/attacks").then().statusCode(200).contentType("application/json")
                .body("goals", equalTo(List.of("flip", "fake", "real")))
                .body("limits.maxSteps", equalTo(1000))
                .body("limits.maxQueries", equalTo(10000))
                .body("limits.maxSearchSteps", equalTo(20))
                .body("limits.maxImagesPerRequest", equalTo(64))
                .body("methods", hasSize(13))
                .extract().jsonPath();
        assertThat(catalog.getList("methods.method")).containsExactly("fgsm", "fgm", "bim", "pgd", "mifgsm",
                "deepfool", "cw", "apgd", "apgd-margin", "spsa", "square", "auto", "bisection");
        assertThat(parameter(catalog, "auto", "linf", "steps")).as("AutoAttack's budget").containsEntry("default", 100);
        assertThat(parameter(catalog, "auto", "l2", "queries")).containsEntry("default", 5000);

        Map<String, Object> epsilon = parameter(catalog, "pgd", "linf", "epsilon");
        assertThat(epsilon).containsEntry("type", "number").containsEntry("minimum", 0.0f)
                .containsEntry("exclusiveMinimum", true).containsEntry("maximum", 1.0f);
        assertThat(((Number) epsilon.get("default")).doubleValue()).isCloseTo(8.0 / 255, org.assertj.core.api
                .Assertions.within(1e-7));
        assertThat(((Number) parameter(catalog, "pgd", "l2", "epsilon").get("default")).doubleValue()).isEqualTo(1.0);
        assertThat(parameter(catalog, "pgd", "linf", "steps")).containsEntry("default", 20)
                .containsEntry("maximum", 1000.0f);
        assertThat(parameter(catalog, "pgd", "linf", "stepSize")).containsEntry("stepFactor", 2.5f);
        assertThat(parameter(catalog, "spsa", "linf", "stepSize")).doesNotContainKey("stepFactor");
        assertThat(parameter(catalog, "pgd", "linf", "goal")).containsEntry("default", "flip")
                .containsEntry("choices", List.of("flip", "fake", "real"));
        assertThat(catalog.getBoolean("methods.find { it.method == 'square' }.usesGradients")).isFalse();
        assertThat(catalog.getBoolean("methods.find { it.method == 'deepfool' }.epsilonBounded")).isFalse();
        assertThat(catalog.getList("methods.find { it.method == 'deepfool' }.norms")).containsExactly("l2", "linf");
        assertThat(catalog.getList("methods.find { it.method == 'cw' }.parameters.l2.name"))
                .containsExactly("steps", "constant", "searchSteps", "learningRate", "goal", "skipAtGoal", "quantize");
    }

    @Test
    void aValueOverTheListedMaximumIsWhatAttackRefuses() {
        JsonPath catalog = given().get("/api/v1/attacks").then().statusCode(200).extract().jsonPath();
        int maxSteps = ((Number) parameter(catalog, "bim", "linf", "steps").get("maximum")).intValue();
        byte[] digit = given().get("/api/v1/generate?count=1&seed=3").then().statusCode(200).extract().asByteArray();
        given().contentType("image/png").body(digit).post("/api/v1/attack?method=bim&steps=" + (maxSteps + 1))
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("steps"));
        given().contentType("image/png").body(digit).post("/api/v1/attack?method=fgsm&epsilon="
                        + parameter(catalog, "fgsm", "linf", "epsilon").get("maximum"))
                .then().statusCode(200).body("parameters.epsilon", equalTo(1.0f));
    }

    @Test
    void theOpenApiDocumentDescribesIt() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        assertThat(doc.getString("paths.'/api/v1/attacks'.get.summary")).contains("attack methods");
        assertThat(doc.getMap("components.schemas.AttackParameter")).isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(JsonPath catalog, String method, String norm, String name) {
        List<Map<String, Object>> parameters = catalog.getList("methods.find { it.method == '" + method
                + "' }.parameters." + norm);
        return parameters.stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(method + " " + norm + " lists no " + name));
    }
}
