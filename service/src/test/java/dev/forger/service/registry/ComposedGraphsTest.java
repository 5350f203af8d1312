package dev.forger.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.AttackSpace;
import dev.forger.service.attacks.ClassifierNetworks;
import dev.forger.service.attacks.ClassifierNetworks.ClassLoss;
import dev.forger.service.fixture.ClassifierBundle;
import dev.forger.service.fixture.TorchExportedBundle;
import dev.forger.service.fixture.TorchStyleBundle;
import dev.forger.service.inference.LatentSampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The composed graphs the registry builds and caches at load time, checked through the loaded models
 * themselves (their batchers, as attacks call them): their forward answers equal the networks they were
 * composed from, and their gradients agree with central differences of those forward answers, on the
 * default bundle, on a PyTorch-style bundle whose generator takes z as [N, 16, 1, 1], on a generator and
 * discriminator PyTorch exported itself (both exporters, {@link TorchExportedBundle}), and for the class
 * objectives (with realism) on the default bundle with a classifier ({@link ClassifierBundle}).
 */
class ComposedGraphsTest {
    private static LoadedModel defaultModel;
    private static LoadedModel torchStyle;
    private static LoadedModel withClassifier;
    /** Nets PyTorch exported itself, with each of its two exporters. */
    private static LoadedModel[] torchExported;

    @BeforeAll
    static void load() throws Exception {
        defaultModel = TestModels.embeddedDefault(false);
        torchStyle = TestModels.load(TorchStyleBundle.write(Files.createTempDirectory("forger-torch-"), "torch", 5), false);
        withClassifier = TestModels.load(ClassifierBundle.write(Files.createTempDirectory("forger-classifier-")
                .resolve("b"), "with-classifier"), false);
        torchExported = new LoadedModel[TorchExportedBundle.Exporter.values().length];
        for (TorchExportedBundle.Exporter exporter : TorchExportedBundle.Exporter.values()) {
            torchExported[exporter.ordinal()] = TestModels.load(TorchExportedBundle.write(
                    Files.createTempDirectory("forger-torch-exported-"), "torch-" + exporter, exporter), false);
        }
    }

    @AfterAll
    static void close() {
        defaultModel.close();
        torchStyle.close();
        withClassifier.close();
        for (LoadedModel model : torchExported) {
            model.close();
        }
    }

    /** The default bundle, the PyTorch-style one and the two that PyTorch exported. */
    private static LoadedModel[] withGenerators() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(defaultModel, torchStyle),
                java.util.Arrays.stream(torchExported)).toArray(LoadedModel[]::new);
    }

    @Test
    void theLatentGraphAnswersWhatTheGeneratorAndDiscriminatorAnswerInTurn() {
        for (LoadedModel model : withGenerators()) {
            AttackModel latent = model.latentAttackModel().orElseThrow();
            assertThat(latent.space()).isEqualTo(AttackSpace.latent(model.manifest().latent()));
            float[] z = LatentSampler.sample(model.manifest().latent(), 3, 4);
            float[] logits = model.score(model.generate(z, 4).join(), 4).join();
            float[] composed = latent.logits(z, 4);
            for (int i = 0; i < 4; i++) {
                assertThat(composed[i]).as(model.name() + " image " + i).isCloseTo(logits[i], within(1e-4f));
            }
        }
    }

    @Test
    void aGeneratorTakingFourDimensionalLatentsIsServedBehindAReshape() {
        assertThat(torchStyle.latentDim()).isEqualTo(TorchStyleBundle.LATENT_DIM);
        float[] images = torchStyle.generate(LatentSampler.sample(torchStyle.manifest().latent(), 0, 2), 2).join();
        assertThat(images).hasSize(2 * 32 * 32);
        assertThat(torchStyle.latentUnavailable()).isNull();
        assertThat(torchStyle.latentAttackModel().orElseThrow().space().bounded()).as("normal latents").isFalse();
    }

    @Test
    void latentGradientsAgreeWithCentralDifferences() {
        for (LoadedModel model : withGenerators()) {
            AttackModel latent = model.latentAttackModel().orElseThrow();
            for (int sample = 0; sample < 3; sample++) {
                float[] z = LatentSampler.sample(model.manifest().latent(), 11 + sample, 1);
                float target = sample % 2;
                Function<float[], float[]> gradients = points -> {
                    int n = points.length / z.length;
                    float[] targets = new float[n];
                    java.util.Arrays.fill(targets, target);
                    return latent.gradients(points, targets, n).gradients();
                };
                Function<float[], double[]> losses = points -> {
                    int n = points.length / z.length;
                    float[] logit = latent.logits(points, n);
                    double[] loss = new double[n];
                    for (int i = 0; i < n; i++) {
                        loss[i] = bce(logit[i], target);
                    }
                    return loss;
                };
                Directions.check(model.name() + " sample " + sample, z, gradients, losses, new SplittableRandom(sample));
            }
        }
    }

    @Test
    void classGradientsWithRealismAgreeWithCentralDifferencesInBothSpaces() {
        for (boolean latent : new boolean[] {false, true}) {
            ClassifierNetworks networks = withClassifier.classifierNetworks(latent).orElseThrow();
            int classes = networks.classes();
            for (ClassLoss loss : ClassLoss.values()) {
                for (int sample = 0; sample < 2; sample++) {
                    float[] z = LatentSampler.sample(withClassifier.manifest().latent(), 21 + sample, 1);
                    float[] point = latent ? z : withClassifier.generate(z, 1).join();
                    int target = 3 + 4 * sample;
                    float weight = sample == 0 ? 1f : -1f;
                    float realism = sample == 0 ? 0.5f : 2f;
                    Function<float[], float[]> gradients = points -> {
                        int n = points.length / point.length;
                        int[] targets = new int[n];
                        float[] weights = new float[n];
                        float[] realisms = new float[n];
                        java.util.Arrays.fill(targets, target);
                        java.util.Arrays.fill(weights, weight);
                        java.util.Arrays.fill(realisms, realism);
                        float[] out = networks.gradients(points, targets, weights, realisms, n, loss);
                        int item = classes + 1 + point.length;
                        float[] g = new float[n * point.length];
                        for (int i = 0; i < n; i++) {
                            System.arraycopy(out, i * item + classes + 1, g, i * point.length, point.length);
                        }
                        return g;
                    };
                    Function<float[], double[]> objective = points -> {
                        int n = points.length / point.length;
                        float[] v = networks.verdicts(points, n);
                        double[] values = new double[n];
                        for (int i = 0; i < n; i++) {
                            int at = i * (classes + 1);
                            values[i] = weight * classLoss(v, at, classes, target, loss) + realism * bce(v[at + classes], 1);
                        }
                        return values;
                    };
                    Directions.check((latent ? "latent " : "pixel ") + loss + " sample " + sample, point, gradients, objective,
                            new SplittableRandom(sample));
                }
            }
        }
    }

    @Test
    void theClassifierIsLoadedWithItsClassesAndBundlesWithoutOneSayWhyClassGoalsAreOff() {
        assertThat(withClassifier.hasClassifier()).isTrue();
        assertThat(withClassifier.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(withClassifier.classGoalsUnavailable()).isNull();
        float[] image = withClassifier.generate(LatentSampler.sample(withClassifier.manifest().latent(), 0, 1), 1).join();
        float[] logits = withClassifier.classify(image, 1).join();
        float[] verdicts = withClassifier.classifierNetworks(false).orElseThrow().verdicts(image, 1);
        for (int k = 0; k < 10; k++) {
            assertThat(verdicts[k]).isEqualTo(logits[k]);
        }
        assertThat(verdicts[10]).isEqualTo(withClassifier.score(image, 1).join()[0]);

        assertThat(torchStyle.hasClassifier()).isFalse();
        assertThat(torchStyle.classifierNetworks(true)).isEmpty();
        assertThat(torchStyle.classGoalsUnavailable()).contains("has no classifier");
    }

    static double bce(double z, double t) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z;
    }

    static double classLoss(float[] v, int at, int classes, int c, ClassLoss loss) {
        double max = Double.NEGATIVE_INFINITY;
        double other = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, v[at + k]);
            if (k != c) {
                other = Math.max(other, v[at + k]);
            }
        }
        if (loss == ClassLoss.LOGIT_MARGIN) {
            return other - v[at + c];
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(v[at + k] - max);
        }
        return max + Math.log(sum) - v[at + c];
    }
}
