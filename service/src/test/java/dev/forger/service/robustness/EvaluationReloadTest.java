package dev.forger.service.robustness;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.graph.manifest.Sha256;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.imaging.Pixels;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.store.EvaluationStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluations whose model is reloaded with other weights while their units run (issue #14): on one jar, and
 * in a rolling update where old and new replicas share the store. The service's own workers are off; the
 * tests drive replicas unit by unit ({@link EvaluationWorkers#runOne()}), each with the registry it serves,
 * so which replica runs which unit on which weights is decided by the test, not by timing.
 */
@QuarkusTest
@TestProfile(EvaluationReloadTest.DrivenReplicas.class)
@QuarkusTestResource(TestBundles.class)
class EvaluationReloadTest {
    public static class DrivenReplicas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("forger.oip.repository.enabled", "true", "forger.evaluation.workers", "0",
                    // a store of its own: no other test's evaluations or replicas
                    "quarkus.datasource.embedded.jdbc.url",
                    "jdbc:h2:mem:forger-reload-test;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        }
    }

    private static final int IMAGES = 4;

    @Inject
    EvaluationStore store;
    @Inject
    ModelRegistry registry;
    @Inject
    AttackService attacks;
    @Inject
    ThreatAttacks threats;
    @Inject
    ForgerMetrics metrics;
    @Inject
    ForgerConfig config;

    private final List<EvaluationWorkers> replicas = new ArrayList<>();

    @AfterEach
    void replicasLeave() {
        replicas.forEach(r -> r.stop(null));
        replicas.clear();
    }

    @Test
    void anEvaluationWhoseBundleIsReloadedWithOtherWeightsFailsAndReportsOnlyThePlannedWeightsNumbers()
            throws IOException {
        Path folder = modelsDir().resolve("reloaded");
        TinyBundle.write(folder, "reloaded", 7);
        given().post("/v2/repository/models/reloaded/load").then().statusCode(200);
        String planned = Sha256.of(folder.resolve("discriminator.onnx"));
        EvaluationWorkers jar = replica("jar", registry);

        String job = submit("reloaded", 0.02, 0.05, 0.1);
        assertThat(given().get(job).jsonPath().getString("model.sha256")).isEqualTo(planned);
        float[] images = images(job);
        float[] plannedLogits = registry.get("reloaded").score(images, IMAGES).join();
        assertThat(jar.runOne()).isEqualTo("done");
        String csvBefore = csv(job);

        TinyBundle.write(folder, "reloaded", 8); // other weights in the same folder, as an operator replaces them
        given().post("/v2/repository/models/reloaded/load").then().statusCode(200);
        String served = Sha256.of(folder.resolve("discriminator.onnx"));
        assertThat(served).isNotEqualTo(planned);
        float[] servedLogits = registry.get("reloaded").score(images, IMAGES).join();

        assertThat(jar.runOne()).as("the unit after the reload").isEqualTo("failed");
        assertThat(jar.runOne()).as("nothing left to run").isNull();
        JsonPath failed = given().get(job).then().statusCode(200).extract().jsonPath();
        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getString("error")).isEqualTo("replica jar serves model 'reloaded' with discriminator sha256 "
                + served + ", but the evaluation was planned on sha256 " + planned + "; serve the same bundle on every"
                + " replica (every live replica refused the evaluation: jar)");
        assertThat(failed.getInt("progress.done")).isEqualTo(1);
        assertThat(failed.getList("report.sweep.epsilon", Float.class)).as("the run done before the reload only")
                .containsExactly(0.02f);
        assertThat(csv(job)).isEqualTo(csvBefore);
        assertOnlyPlannedWeights(csv(job), plannedLogits, servedLogits);
    }

    @Test
    void inARollingUpdateOldReplicasRunWhatNewOnesRefuseUntilNoneIsLeft() throws IOException {
        Path folder = modelsDir().resolve("rolling");
        TinyBundle.write(folder, "rolling", 11);
        given().post("/v2/repository/models/rolling/load").then().statusCode(200);
        ModelRegistry oldPods = new ModelRegistry(config, metrics); // another pod's registry, still on the first version
        Path oldFolder = TinyBundle.write(Files.createTempDirectory("forger-old-pod-").resolve("rolling"), "rolling", 11);
        assertThat(Sha256.of(oldFolder.resolve("discriminator.onnx")))
                .isEqualTo(Sha256.of(folder.resolve("discriminator.onnx")));
        LoadedModel old = oldPods.load(oldFolder);
        try {
            String finishes = submit("rolling", 0.02, 0.05);
            String outlived = submit("rolling", 0.03, 0.06);
            float[] plannedLogits = old.score(images(finishes), IMAGES).join();
            float[] outlivedPlanned = old.score(images(outlived), IMAGES).join();

            TinyBundle.write(folder, "rolling", 12); // this pod is updated first
            given().post("/v2/repository/models/rolling/load").then().statusCode(200);
            EvaluationWorkers newPod = replica("new-pod", registry);
            EvaluationWorkers oldPod = replica("old-pod", oldPods);
            float[] servedLogits = registry.get("rolling").score(images(finishes), IMAGES).join();

            assertThat(newPod.runOne()).as("new pod, first evaluation").isEqualTo("refused");
            assertThat(newPod.runOne()).as("new pod, second evaluation").isEqualTo("refused");
            assertThat(newPod.runOne()).as("the new pod leaves both to others").isNull();
            assertThat(state(finishes)).isEqualTo("running");

            assertThat(oldPod.runOne()).isEqualTo("done");
            assertThat(oldPod.runOne()).isEqualTo("done");
            JsonPath done = given().get(finishes).jsonPath();
            assertThat(done.getString("state")).isEqualTo("succeeded");
            assertOnlyPlannedWeights(csv(finishes), plannedLogits, servedLogits);

            assertThat(oldPod.runOne()).as("the old pod starts the second evaluation").isEqualTo("done");
            oldPod.stop(null); // ... and is replaced: no live replica serves the planned version any more
            replicas.remove(oldPod);
            EvaluationWorkers lastPod = replica("last-pod", registry);
            assertThat(lastPod.runOne()).isEqualTo("failed");
            JsonPath failed = given().get(outlived).jsonPath();
            assertThat(failed.getString("state")).isEqualTo("failed");
            assertThat(failed.getString("error")).startsWith("replica last-pod serves model 'rolling' with discriminator"
                    + " sha256 ").contains("; serve the same bundle on every replica")
                    .endsWith("(every live replica refused the evaluation: last-pod, new-pod)");
            assertThat(failed.getInt("progress.done")).isEqualTo(1);
            assertOnlyPlannedWeights(csv(outlived), outlivedPlanned,
                    registry.get("rolling").score(images(outlived), IMAGES).join());
        } finally {
            old.close();
        }
    }

    /** A replica named {@code name} serving {@code served}'s models, with one worker that the test drives. */
    private EvaluationWorkers replica(String name, ModelRegistry served) {
        EvaluationWorkers replica = new EvaluationWorkers(store, served, attacks, metrics,
                new OneWorker(config.evaluation()), threats, name);
        replica.beat(); // alive: one that may run a unit others refuse
        replicas.add(replica);
        return replica;
    }

    /** Every row's original logit is the planned discriminator's, and none the reloaded one's. */
    private static void assertOnlyPlannedWeights(String csv, float[] planned, float[] reloaded) {
        List<String> rows = csv.lines().skip(1).toList();
        assertThat(rows).isNotEmpty();
        for (String row : rows) {
            String[] cells = row.split(",");
            int image = Integer.parseInt(cells[0]);
            float logit = Float.parseFloat(cells[6]);
            assertThat(logit).as(row).isCloseTo(planned[image], within(1e-5f));
            assertThat(Math.abs(logit - reloaded[image])).as("the reloaded weights differ: " + row).isGreaterThan(1e-3f);
        }
    }

    private static String submit(String model, double... epsilons) {
        List<Double> eps = java.util.Arrays.stream(epsilons).boxed().toList();
        return given().contentType(ContentType.JSON).body(Map.of("model", model, "count", IMAGES, "seed", 3,
                        "attacks", List.of(Map.of("method", "fgsm")), "epsilons", eps))
                .post("/api/v1/evaluate").then().statusCode(202).extract().header("Location");
    }

    /** The images the evaluation attacks, as every replica reads them from the store, at 8 bits as attacks see them. */
    private float[] images(String job) {
        String id = job.substring(job.lastIndexOf('/') + 1);
        float[] images = ImageBytes.floats(store.images(id).orElseThrow());
        Pixels.roundToGreyLevels(images);
        return images;
    }

    private static String csv(String job) {
        return given().get(job + "/report.csv").then().statusCode(200).extract().asString();
    }

    private static String state(String job) {
        return given().get(job).jsonPath().getString("state");
    }

    private static Path modelsDir() {
        return Path.of(ConfigProvider.getConfig().getValue("forger.models.dir", String.class));
    }

    /** The service's evaluation settings, with one worker (the service's own run none in this test). */
    private record OneWorker(ForgerConfig.Evaluation settings) implements ForgerConfig.Evaluation {
        @Override
        public int workers() {
            return 1;
        }

        @Override
        public int maxQueuedUnits() {
            return settings.maxQueuedUnits();
        }

        @Override
        public Duration retention() {
            return settings.retention();
        }

        @Override
        public int maxImages() {
            return settings.maxImages();
        }

        @Override
        public int maxEpsilons() {
            return settings.maxEpsilons();
        }

        @Override
        public int unitImages() {
            return settings.unitImages();
        }

        @Override
        public Duration lease() {
            return settings.lease();
        }

        @Override
        public Duration heartbeat() {
            return settings.heartbeat();
        }

        @Override
        public Duration poll() {
            return settings.poll();
        }

        @Override
        public int maxAttempts() {
            return settings.maxAttempts();
        }
    }
}
