package dev.forger.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.graph.manifest.ManifestIo;
import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path models;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRegistry registry;

    private ModelRegistry start(String defaultModel) {
        registry = new ModelRegistry(new TestConfig(models, defaultModel, "models/not-packaged"),
                new ForgerMetrics(meters));
        registry.loadAll();
        return registry;
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void servesGoodBundlesRefusesBadOnesAndReportsModelsLoaded() throws Exception {
        TinyBundle.write(models.resolve("a"), "alpha", 1);
        TinyBundle.write(models.resolve("b"), "alpha", 2); // same name again
        Path wrongShape = TinyBundle.write(models.resolve("c"), "wrong-shape", 3);
        String manifest = Files.readString(wrongShape.resolve(ManifestIo.FILE_NAME));
        Files.writeString(wrongShape.resolve(ManifestIo.FILE_NAME), manifest.replace("\"dim\" : 100", "\"dim\" : 64"));
        start("alpha");

        assertThat(registry.all()).extracting(LoadedModel::name).containsExactly("alpha");
        assertThat(registry.refusals()).hasSize(2);
        assertThat(registry.refusals().get(0).reason()).contains("'alpha' is already served from");
        assertThat(registry.refusals().get(1).reason()).contains("generator.onnx", "input 'z'", "[N, 64]");
        assertThat(meters.get("forger.models.loaded").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("forger.models.refused").gauge().value()).isEqualTo(2.0);
        HealthCheckResponse health = new DefaultModelReadiness(registry).call();
        assertThat(health.getStatus()).as("refusals of other bundles do not make it unready")
                .isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData().orElseThrow()).containsEntry("refused", 2L)
                .hasEntrySatisfying("refused: " + models.resolve("c"),
                        reason -> assertThat(reason.toString()).contains("generator.onnx", "[N, 64]"));

        float[] logits = registry.get(null).score(new float[2 * 32 * 32], 2).get(10, TimeUnit.SECONDS);
        assertThat(logits).hasSize(2);
        assertThat(logits[0]).isEqualTo(logits[1]);
    }

    @Test
    void aLoadedModelsDigestsNameTheFilesAsLoadedNotAsTheFolderHoldsThemLater() throws Exception {
        Path bundle = TinyBundle.write(models.resolve("a"), "alpha", 1);
        String loaded = dev.forger.graph.manifest.Sha256.of(bundle.resolve("discriminator.onnx"));
        start("alpha");
        // the folder is overwritten with other weights and nothing reloads it: what is served has not changed
        TinyBundle.write(models.resolve("elsewhere"), "alpha", 2);
        Files.copy(models.resolve("elsewhere").resolve("discriminator.onnx"), bundle.resolve("discriminator.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(dev.forger.graph.manifest.Sha256.of(bundle.resolve("discriminator.onnx"))).isNotEqualTo(loaded);

        LoadedModel model = registry.get("alpha");
        assertThat(model.discriminatorSha256()).isEqualTo(loaded);
        assertThat(model.files()).extracting(BundleFile::role)
                .containsExactly("manifest", "generator", "discriminator");
        assertThat(model.files()).filteredOn(f -> f.role().equals("discriminator")).singleElement()
                .extracting(BundleFile::sha256).isEqualTo(loaded);
    }

    @Test
    void modelsDirPointingAtOneBundlesOwnFolderServesThatBundle() throws Exception {
        TinyBundle.write(models, "alone", 1); // manifest.json right in forger.models.dir
        start("alone");
        assertThat(registry.all()).extracting(LoadedModel::name).containsExactly("alone");
        assertThat(registry.get(null).source()).isEqualTo(models.toString());
        assertThat(registry.refusals()).isEmpty();
        assertThat(new DefaultModelReadiness(registry).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void everyServedModelsLabelledCountersExistAtZeroBeforeTheFirstEvent() throws Exception {
        TinyBundle.write(models.resolve("a"), "alpha", 1);
        start("alpha");
        assertThat(meters.get("forger.images.generated").tag("model", "alpha").counter().count()).isZero();
        for (String source : ForgerMetrics.SCORE_SOURCES) {
            assertThat(meters.get("forger.images.scored").tags("model", "alpha", "source", source).counter().count())
                    .isZero();
        }
        for (String method : java.util.List.of("fgsm", "pgd", "deepfool", "cw", "square", "spsa")) {
            for (String outcome : ForgerMetrics.ATTACK_OUTCOMES) {
                assertThat(meters.get("forger.attacks").tags("model", "alpha", "method", method, "outcome", outcome)
                        .counter().count()).isZero();
            }
        }
        for (String reason : java.util.List.of("queue-full", "wrong-image-size", "unknown-parameter",
                "body-too-large", "not-an-image", "client-closed")) {
            assertThat(meters.get("forger.rejected.requests").tag("reason", reason).counter().count()).isZero();
        }
    }

    @Test
    void withoutTheDefaultReadinessIsDownAndSaysWhy() throws Exception {
        TinyBundle.write(models.resolve("other"), "other", 1);
        start("mnist-dcgan");

        HealthCheckResponse health = new DefaultModelReadiness(registry).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("reason").toString())
                .contains("no bundle named 'mnist-dcgan'", "[other]");
        assertThatThrownBy(() -> registry.get(null)).isInstanceOfSatisfying(ClientProblem.class,
                p -> assertThat(p.type()).isEqualTo(ProblemType.MODEL_NOT_READY));
        assertThat(registry.get("other").name()).isEqualTo("other");
    }

    @Test
    void aRefusedDefaultIsTheReasonGiven() throws Exception {
        Path bundle = TinyBundle.write(models.resolve("mnist-dcgan"), "mnist-dcgan", 1);
        Files.delete(bundle.resolve("discriminator.onnx"));
        start("mnist-dcgan");
        HealthCheckResponse health = new DefaultModelReadiness(registry).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("reason").toString())
                .contains("was refused", "discriminator.onnx", "does not exist");
    }

    @Test
    void aMissingModelsFolderStillStarts() {
        registry = new ModelRegistry(new TestConfig(models.resolve("nowhere"), "x", "models/not-packaged"),
                new ForgerMetrics(meters));
        registry.loadAll();
        assertThat(registry.all()).isEmpty();
        assertThat(registry.defaultReady()).isFalse();
    }

    @Test
    void zipsWithEscapingEntriesAreRefused() throws Exception {
        Path zip = models.resolve("evil.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("../escape.txt"));
            out.write(1);
            out.closeEntry();
        }
        start("x");
        assertThat(registry.refusals()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("points outside the bundle"));
    }
}
