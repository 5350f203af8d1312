package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class ModelsApiTest {
    @Test
    void listsTheGoodBundlesAndSaysWhyTheBadOnesWereRefused() {
        given().get("/api/v1/models").then().statusCode(200)
                .body("defaultModel", equalTo(TestBundles.DEFAULT))
                .body("models.name", hasItems(TestBundles.DEFAULT, TestBundles.ZIPPED))
                // (plus the embedded mnist-dcgan when it is packaged; the folder's bundles come first)
                .body("models[0].name", equalTo(TestBundles.DEFAULT))
                .body("models.find { it.name == 'tiny-dcgan' }.image.height", equalTo(32))
                .body("models.find { it.name == 'tiny-dcgan' }.latent.dim", equalTo(100))
                .body("models.find { it.name == 'tiny-dcgan' }.latent.distribution", equalTo("uniform"))
                .body("models.find { it.name == 'tiny-dcgan' }.training.epochs", equalTo(0))
                .body("models.find { it.name == 'tiny-dcgan' }.metrics.fid", equalTo(999.0f))
                // the tiny bundle ships no gradient graph: the registry derives one for white-box attacks
                .body("models.find { it.name == 'tiny-dcgan' }.gradientGraph", equalTo(false))
                .body("models.find { it.name == 'tiny-dcgan' }.gradients", equalTo("derived"))
                .body("models.find { it.name == 'tiny-dcgan' }.files.role", equalTo(java.util.List.of("generator",
                        "discriminator")))
                .body("models.find { it.name == 'tiny-dcgan' }.files[0].file", equalTo("generator.onnx"))
                .body("refused", hasSize(2))
                .body("refused.find { it.source.endsWith('tampered') }.reason",
                        containsString("sha256 is"))
                .body("refused.find { it.source.endsWith('broken') }.reason",
                        containsString("not a valid manifest"));
    }

    @Test
    void readyOnceTheDefaultModelAnsweredItsWarmUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'default-model' }.data.model", equalTo(TestBundles.DEFAULT))
                // the two bad bundles do not make it unready, but readiness says they were refused and why
                .body("checks.find { it.name == 'default-model' }.data.refused", equalTo(2))
                .body("checks.find { it.name == 'default-model' }.data.find { it.key.endsWith('tampered') }.value",
                        containsString("sha256"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void refusalsAndEveryLabelledCounterAreExportedFromTheStart() {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(metrics).contains("forger_models_refused 2.0")
                .contains("forger_attacks_total{method=\"cw\",model=\"" + TestBundles.ZIPPED + "\",outcome=\"failure\"")
                .contains("forger_images_scored_total{model=\"" + TestBundles.ZIPPED + "\",source=\"generated\"")
                .contains("forger_images_generated_total{model=\"" + TestBundles.ZIPPED + "\"");
        for (String reason : dev.forger.service.metrics.ForgerMetrics.rejectionReasons()) {
            org.assertj.core.api.Assertions.assertThat(metrics).as(reason)
                    .contains("forger_rejected_requests_total{reason=\"" + reason + "\"");
        }
    }

    @Test
    void unknownPathsAreProblems() {
        given().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:forger:problem:not-found"))
                .body("status", equalTo(404));
        given().delete("/api/v1/models").then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:forger:problem:method-not-allowed"))
                .body("detail", containsString("not allowed"));
    }
}
