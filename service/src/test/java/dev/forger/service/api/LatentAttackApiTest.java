package dev.forger.service.api;

import static dev.forger.service.api.GenerateApiTest.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.forger.service.fixture.ManifoldBundles;
import dev.forger.service.imaging.ImageDecoder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/attack on generated digits (JSON latents or a seed) in latent and pixel space, class goals with
 * realism on a bundle with a classifier, the classifier on /score and /models, and every refusal: a class goal
 * without a classifier is a 422 that says why.
 */
@QuarkusTest
@QuarkusTestResource(value = ManifoldBundles.class, restrictToAnnotatedClass = true)
class LatentAttackApiTest {
    private static final String ATTACK = "/api/v1/attack";

    private static Response post(String query, String json) {
        return given().contentType("application/json").body(json).post(ATTACK + "?" + query);
    }

    @Test
    void latentPgdReturnsBothLatentsBothImagesTheirPixelDistanceAndTheVerdicts() {
        Response r = post("space=latent&method=pgd&epsilon=0.1&seed=1", "{\"count\": 4, \"seed\": 7}");
        r.then().statusCode(200).contentType("application/json").body("model", equalTo("mnist-dcgan"))
                .body("space", equalTo("latent")).body("goal", equalTo("flip"))
                .body("parameters.epsilon", equalTo(0.1f)).body("parameters.space", equalTo("latent"))
                .body("parameters", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("quantize")))
                .body("results", hasSize(4));
        JsonPath json = r.jsonPath();
        for (int i = 0; i < 4; i++) {
            String at = "results[" + i + "].";
            List<Float> before = json.getList(at + "originalLatent", Float.class);
            List<Float> after = json.getList(at + "adversarialLatent", Float.class);
            assertThat(before).hasSize(100);
            assertThat(after).hasSize(100);
            double max = 0;
            for (int j = 0; j < 100; j++) {
                max = Math.max(max, Math.abs(after.get(j) - before.get(j)));
                assertThat(after.get(j)).isBetween(-1f, 1f);
            }
            assertThat(max).isLessThanOrEqualTo(0.1 + 1e-6).isCloseTo(json.getDouble(at + "linf"),
                    org.assertj.core.api.Assertions.within(1e-6));
            byte[] original = Base64.getDecoder().decode(json.getString(at + "originalImage"));
            byte[] adversarial = Base64.getDecoder().decode(json.getString(at + "image"));
            float[] a = new ImageDecoder(4096).decode(original, "png").data();
            float[] b = new ImageDecoder(4096).decode(adversarial, "png").data();
            double pixelLinf = 0;
            for (int j = 0; j < a.length; j++) {
                pixelLinf = Math.max(pixelLinf, Math.abs(a[j] - b[j]) / 2);
            }
            assertThat(pixelLinf).as("PNG rounding aside, the reported pixel distance")
                    .isCloseTo(json.getDouble(at + "pixelLinf"), org.assertj.core.api.Assertions.within(1.0 / 255));
            boolean success = json.getBoolean(at + "success");
            double after0 = json.getDouble(at + "adversarial.logit");
            double before0 = json.getDouble(at + "original.logit");
            assertThat(success).isEqualTo(json.getBoolean(at + "alreadyAtGoal") || Math.signum(after0) != Math.signum(before0));
        }
        // the same seed gives the same latents as /generate draws: the seed's first latent here is its first image there
        byte[] generated = given().get("/api/v1/generate?seed=7").then().statusCode(200).extract().asByteArray();
        assertThat(Base64.getDecoder().decode(json.getString("results[0].originalImage"))).isEqualTo(generated);
    }

    @Test
    void explicitLatentsAndPixelSpaceOnGeneratedDigits() {
        StringBuilder latent = new StringBuilder("[");
        for (int j = 0; j < 100; j++) {
            latent.append(j == 0 ? "" : ",").append(j % 2 == 0 ? "0.25" : "-0.5");
        }
        latent.append("]");
        Response r = post("space=pixel&method=fgsm&epsilon=0.0314", "{\"latents\": [" + latent + "]}");
        r.then().statusCode(200).body("space", equalTo("pixel")).body("results", hasSize(1))
                .body("results[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("adversarialLatent")));
        assertThat(r.jsonPath().getDouble("results[0].pixelLinf")).isLessThanOrEqualTo(0.0314)
                .isEqualTo(r.jsonPath().getDouble("results[0].linf"));
        assertThat(r.jsonPath().getList("results[0].originalLatent", Float.class).get(1)).isEqualTo(-0.5f);

        byte[] figure = post("space=latent&method=pgd&epsilon=0.2&format=figure", "{\"count\": 2, \"seed\": 3}")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertThat(new ImageDecoder(1 << 20).decode(figure, "png").count()).isEqualTo(1);
        byte[] npy = post("space=latent&method=fgsm&epsilon=0.2&format=npy", "{\"count\": 2, \"seed\": 3}")
                .then().statusCode(200).contentType("application/x-npy").header("X-Forger-Space", "latent")
                .extract().asByteArray();
        assertThat(dev.forger.service.imaging.NpyReader.read(npy, 2).count()).isEqualTo(2);
    }

    @Test
    void classGoalsWithRealismOnTheBundleWithAClassifier() {
        Response r = post("model=" + ManifoldBundles.CLASSIFIED + "&space=latent&method=pgd&epsilon=0.5&steps=30"
                + "&goal=class:3&realism=1", "{\"count\": 4, \"seed\": 5}");
        r.then().statusCode(200).body("goal", equalTo("class:3")).body("parameters.goal", equalTo("class:3"))
                .body("parameters.realism", equalTo(1.0f));
        JsonPath json = r.jsonPath();
        for (int i = 0; i < 4; i++) {
            String at = "results[" + i + "].";
            assertThat(json.getInt(at + "original.predictedClass")).isBetween(0, 9);
            assertThat(json.getDouble(at + "original.classProbability")).isBetween(0.0, 1.0);
            assertThat(json.getBoolean(at + "success")).as("success is the classifier saying 3")
                    .isEqualTo(json.getInt(at + "adversarial.predictedClass") == 3);
        }
        // pixel space, an uploaded image: class-change, the classifier's verdict beside D's
        byte[] digit = given().get("/api/v1/generate?seed=4&model=" + ManifoldBundles.CLASSIFIED).then().statusCode(200)
                .extract().asByteArray();
        Response upload = given().contentType("image/png").body(digit).post(ATTACK + "?model=" + ManifoldBundles.CLASSIFIED
                + "&method=pgd&epsilon=0.0627&goal=class-change");
        upload.then().statusCode(200).body("parameters.goal", equalTo("class-change"));
        JsonPath u = upload.jsonPath();
        assertThat(u.getBoolean("results[0].success")).isEqualTo(
                u.getInt("results[0].adversarial.predictedClass") != u.getInt("results[0].original.predictedClass"));
        double scored = given().contentType("image/png").body(Base64.getDecoder().decode(u.getString("results[0].image")))
                .post("/api/v1/score?model=" + ManifoldBundles.CLASSIFIED).then().statusCode(200).extract().jsonPath()
                .getDouble("results[0].logit");
        assertThat(u.getDouble("results[0].adversarial.logit")).as("D's verdict on exactly the returned PNG")
                .isCloseTo(scored, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void scoreAndModelsSayWhatTheClassifierIs() {
        byte[] digit = given().get("/api/v1/generate?seed=4").then().statusCode(200).extract().asByteArray();
        JsonPath classified = given().contentType("image/png").body(digit)
                .post("/api/v1/score?model=" + ManifoldBundles.CLASSIFIED).then().statusCode(200).extract().jsonPath();
        assertThat(classified.getInt("results[0].predictedClass")).isBetween(0, 9);
        assertThat(classified.getDouble("results[0].classProbability")).isBetween(0.1, 1.0);
        given().contentType("image/png").body(digit).post("/api/v1/score?model=" + ManifoldBundles.TORCH).then()
                .statusCode(200)
                .body("results[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("predictedClass")));

        JsonPath models = given().get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        Map<String, Object> withClassifier = model(models, ManifoldBundles.CLASSIFIED);
        assertThat(map(withClassifier.get("classifier"))).containsKey("heldOutAccuracy");
        assertThat((List<?>) map(withClassifier.get("classifier")).get("classes")).hasSize(10);
        assertThat(map(withClassifier.get("threats"))).containsEntry("latent", true).containsEntry("classGoals", true);
        Map<String, Object> torch = model(models, ManifoldBundles.TORCH);
        assertThat(torch).doesNotContainKey("classifier");
        assertThat(map(torch.get("threats"))).containsEntry("latent", true).containsEntry("classGoals", false);
        assertThat((String) map(torch.get("threats")).get("classGoalsUnavailable")).contains("no classifier");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> model(JsonPath models, String name) {
        return ((List<Map<String, Object>>) (List<?>) models.getList("models")).stream()
                .filter(m -> name.equals(m.get("name"))).findFirst().orElseThrow();
    }

    @Test
    void aManifoldEvaluationReportsTheSmallestPixelEpsilonAndLatentDeltaPerDigitWithChartAndGallery() {
        Response accepted = given().contentType("application/json").body(Map.of("model", ManifoldBundles.CLASSIFIED,
                "type", "manifold", "count", 4, "seed", 3, "steps", 5, "searchSteps", 2)).post("/api/v1/evaluate");
        accepted.then().statusCode(202).body("progress.total", equalTo(4)) // 4 searches x 1 slice
                .body("gallery", org.hamcrest.Matchers.endsWith("/gallery"));
        JsonPath done = EvaluateApiTest.awaitFinished(accepted.header("Location"));
        assertThat(done.getString("state")).isEqualTo("succeeded");
        assertThat(done.getList("report.manifold.searches.space")).containsExactly("pixel", "latent", "pixel", "latent");
        assertThat(done.getList("report.manifold.searches.goal")).containsExactly("flip", "flip", "class-change",
                "class-change");
        assertThat(done.getString("report.manifold.norm")).isEqualTo("l2");
        for (int s = 0; s < 4; s++) {
            String at = "report.manifold.searches[" + s + "].";
            double bound = done.getDouble(at + "bound");
            assertThat(done.getList(at + "budgets")).hasSize(4);
            for (Object budget : done.getList(at + "budgets")) {
                if (budget != null) {
                    assertThat(((Number) budget).doubleValue()).isPositive().isLessThanOrEqualTo(bound);
                }
            }
        }
        byte[] chart = given().get(accepted.header("Location") + "/chart").then().statusCode(200).contentType("image/png")
                .extract().asByteArray();
        assertThat(new ImageDecoder(1 << 20).decode(chart, "chart").shape().width()).isEqualTo(3 * 460);
        byte[] gallery = given().get(accepted.header("Location") + "/gallery").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertThat(new ImageDecoder(1 << 20).decode(gallery, "gallery").shape().height()).isGreaterThan(4 * 64);
        given().get("/api/v1/evaluations").then().statusCode(200);

        problem(given().contentType("application/json").body(Map.of("type", "manifold", "epsilons", List.of(0.1)))
                .post("/api/v1/evaluate"), 400, "invalid-parameter", "epsilons", "bisection");
        problem(given().contentType("application/json").body(Map.of("type", "orbit")).post("/api/v1/evaluate"), 400,
                "invalid-parameter", "type", "manifold");
        problem(given().contentType("application/json").body(Map.of("type", "manifold", "latentBound", -1))
                .post("/api/v1/evaluate"), 400, "invalid-parameter", "latentBound", "latent units");
        problem(given().contentType("application/json").body(Map.of("norm", "l2")).post("/api/v1/evaluate"), 400,
                "invalid-parameter", "type", "manifold");
    }

    @Test
    void theForeignBundleIsAttackedInLatentSpaceThroughItsAdapter() {
        post("model=" + ManifoldBundles.TORCH + "&space=latent&method=pgd&norm=l2&epsilon=2", "{\"count\": 2, \"seed\": 1}")
                .then().statusCode(200).body("results", hasSize(2))
                .body("results[0].originalLatent", hasSize(16));
    }

    @Test
    void mistakesAreProblemsThatSayWhatToDo() {
        String seeded = "{\"count\": 2, \"seed\": 1}";
        problem(post("model=" + ManifoldBundles.TORCH + "&space=latent&method=pgd&goal=class:3", seeded), 422,
                "unsupported-by-model", "goal", "has no classifier");
        problem(post("model=" + ManifoldBundles.TORCH + "&method=pgd&goal=class-change", seeded), 422,
                "unsupported-by-model", "goal", "goal fake, real or flip");
        byte[] digit = given().get("/api/v1/generate?seed=4").then().statusCode(200).extract().asByteArray();
        problem(given().contentType("image/png").body(digit).post(ATTACK + "?model=" + ManifoldBundles.TORCH
                + "&method=pgd&goal=class:1"), 422, "unsupported-by-model", "goal", "has no classifier");
        problem(given().contentType("image/png").body(digit).post(ATTACK + "?method=pgd&space=latent"), 400,
                "invalid-parameter", "space", "application/json");
        problem(post("space=latent&method=deepfool", seeded), 400, "invalid-parameter", "method", "latent space");
        problem(post("model=" + ManifoldBundles.CLASSIFIED + "&method=cw&goal=class:2", seeded), 400,
                "invalid-parameter", "method", "class:2");
        problem(post("space=latent&method=pgd&quantize=true", seeded), 400, "invalid-parameter", "quantize",
                "never rounded");
        problem(post("space=latent&method=pgd&realism=1", seeded), 400, "invalid-parameter", "realism", "class goal");
        problem(post("model=" + ManifoldBundles.CLASSIFIED + "&method=pgd&goal=class:10", seeded), 400,
                "invalid-parameter", "goal", "classes 0 to 9");
        problem(post("space=orbit&method=pgd", seeded), 400, "invalid-parameter", "space", "latent");
        problem(post("space=latent&method=pgd", "{\"count\": 2}"), 400, "invalid-parameter", "seed", "seed");
        problem(post("space=latent&method=pgd", "{\"latents\": [[2.0]]}"), 400, "invalid-parameter", "latents[0]",
                "takes vectors of 100");
        StringBuilder outside = new StringBuilder("[1.5");
        for (int j = 1; j < 100; j++) {
            outside.append(",0");
        }
        problem(post("space=latent&method=pgd", "{\"latents\": [" + outside + "]]}"), 422, "value-out-of-range",
                "latents[0]", "support [-1.0, 1.0]");
        problem(post("space=latent&method=pgd", "{\"count\": 1000, \"seed\": 1}"), 400, "invalid-parameter", "count",
                "max-images-per-request");
        // and the service still serves
        post("space=latent&method=fgsm&epsilon=0.1", seeded).then().statusCode(200);
    }
}
