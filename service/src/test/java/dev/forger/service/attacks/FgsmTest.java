package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.service.inference.GradientRunner;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** FGSM is exactly clip(x − ε·sign(∇BCE towards the goal)), with the gradient from the bundle's gradient graph. */
class FgsmTest {
    private static final Path GRADIENT_GRAPH = Path.of("src/main/resources/models/mnist-dcgan/discriminator-grad.onnx");

    @Test
    void fgsmIsOneSignStepClippedToTheBox() throws Exception {
        int n = 16;
        int size = 32 * 32;
        float[] x = RealDigits.first(n);
        for (Goal goal : new Goal[] {Goal.FAKE, Goal.REAL}) {
            ResolvedAttack fgsm = Requests.resolve("fgsm", null, goal, false);
            float eps = (float) (2 * fgsm.parameters().epsilon());
            AttackOutcome outcome;
            float[] logits;
            float[] grad;
            try (LoadedModel model = TestModels.embeddedDefault(false);
                 GradientRunner graph = GradientRunner.open(OrtEnvironment.getEnvironment(),
                         Files.readAllBytes(GRADIENT_GRAPH), "discriminator-grad.onnx", new long[] {1, 32, 32}, 1)) {
                outcome = AttackRunner.run(fgsm, model.attackModel(), x, n);
                float[] items = new float[n * (size + 1)];
                float label = goal == Goal.FAKE ? 0f : 1f;
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x, i * size, items, i * (size + 1), size);
                    items[i * (size + 1) + size] = label;
                }
                float[] out = graph.run(items, n);
                logits = new float[n];
                grad = new float[n * size];
                for (int i = 0; i < n; i++) {
                    logits[i] = out[i * (size + 1)];
                    System.arraycopy(out, i * (size + 1) + 1, grad, i * size, size);
                }
            }
            int attacked = 0;
            for (int i = 0; i < n; i++) {
                boolean alreadyThere = goal == Goal.FAKE ? logits[i] < 0 : logits[i] > 0;
                for (int j = i * size; j < (i + 1) * size; j++) {
                    float expected = alreadyThere ? x[j] : Math.min(Math.max(x[j] - eps * Math.signum(grad[j]), -1f), 1f);
                    assertThat(outcome.adversarial()[j]).as("goal %s image %d pixel %d", goal, i, j - i * size)
                            .isEqualTo(expected);
                }
                attacked += alreadyThere ? 0 : 1;
                assertThat(outcome.results().get(i).gradientCalls()).isEqualTo(alreadyThere ? 0 : 1);
            }
            assertThat(attacked).as("images that needed the attack for goal " + goal).isPositive();
        }
    }
}
