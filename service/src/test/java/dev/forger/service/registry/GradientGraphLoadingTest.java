package dev.forger.service.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.attacks.LogitsAndGradients;
import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.inference.LatentSampler;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradient graph a model is served with: the bundle's own, or derived at load time, and the two agree. */
class GradientGraphLoadingTest {
    @Test
    void theDerivedGradientGraphAgreesWithTheShippedOneOnTheDefaultBundle() {
        try (LoadedModel shipped = TestModels.embeddedDefault(false);
             LoadedModel derived = TestModels.embeddedDefault(true)) {
            assertThat(shipped.gradientSource()).isEqualTo("discriminator-grad.onnx");
            assertThat(derived.gradientSource()).isEqualTo("derived");
            int n = 8;
            float[] images = shipped.generate(LatentSampler.sample(shipped.manifest().latent(), 3, n), n).join();
            float[] labels = {0, 1, 0, 1, 0, 1, 0, 1};
            LogitsAndGradients a = shipped.attackModel().gradients(images, labels, n);
            LogitsAndGradients b = derived.attackModel().gradients(images, labels, n);
            float[] scores = shipped.score(images, n).join();
            for (int i = 0; i < n; i++) {
                assertThat(a.logits()[i]).isCloseTo(scores[i], org.assertj.core.data.Offset.offset(1e-4f));
                assertThat(b.logits()[i]).isCloseTo(scores[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
            double diff = 0;
            double norm = 0;
            for (int j = 0; j < a.gradients().length; j++) {
                double d = a.gradients()[j] - b.gradients()[j];
                diff += d * d;
                norm += (double) a.gradients()[j] * a.gradients()[j];
            }
            assertThat(norm).as("the gradients are not trivially zero").isGreaterThan(1e-6);
            assertThat(Math.sqrt(diff / norm)).as("relative L2 difference").isLessThan(1e-4);
        }
    }

    @Test
    void aBundleWithoutAGradientGraphGetsADerivedOneAndTheAttackModelCountsInBothBatchers(@TempDir Path dir)
            throws Exception {
        try (LoadedModel model = TestModels.load(TinyBundle.write(dir.resolve("tiny"), "tiny", 4), false)) {
            assertThat(model.hasGradients()).isTrue();
            assertThat(model.gradientSource()).isEqualTo("derived");
            float[] images = new float[2 * 32 * 32];
            images[5] = 0.5f;
            LogitsAndGradients lg = model.attackModel().gradients(images, new float[] {0, 1}, 2);
            float[] logits = model.attackModel().logits(images, 2);
            assertThat(lg.logits()).containsExactly(logits, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(lg.gradients()).hasSize(images.length);
            // BCE towards 0 and towards 1 of the same image: gradients (σ(z) − t)·∇z point opposite ways
            float[] first = java.util.Arrays.copyOfRange(lg.gradients(), 0, 1024);
            double dot = 0;
            for (int j = 0; j < 1024; j++) {
                dot += first[j] * lg.gradients()[1024 + j];
            }
            assertThat(dot).isNegative();
        }
    }
}
