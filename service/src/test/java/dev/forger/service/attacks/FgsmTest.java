package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.service.inference.GradientRunner;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * FGSM is exactly clip(x − ε·sign(∇BCE towards the goal)), with the gradient from the bundle's gradient graph:
 * on the images that do not meet the goal yet by default, and on every image with skipAtGoal=false (the
 * textbook definition that ART, Foolbox and torchattacks follow), so results compare image for image.
 */
class FgsmTest {
    private static final Path GRADIENT_GRAPH = Path.of("src/main/resources/models/mnist-dcgan/discriminator-grad.onnx");

    @Test
    void fgsmIsOneSignStepClippedToTheBox() throws Exception {
        int n = 16;
        int size = 32 * 32;
        // real digits, which the served D calls real, and noise, which it calls fake: both goals meet both kinds
        float[] x = new float[n * size];
        System.arraycopy(RealDigits.first(n - 4), 0, x, 0, (n - 4) * size);
        java.util.Random noise = new java.util.Random(3);
        for (int j = (n - 4) * size; j < n * size; j++) {
            x[j] = noise.nextFloat() * 2 - 1;
        }
        for (boolean skipAtGoal : new boolean[] {true, false}) {
            for (Goal goal : new Goal[] {Goal.FAKE, Goal.REAL}) {
                check(x, n, size, skipAtGoal, goal);
            }
        }
    }

    private static void check(float[] x, int n, int size, boolean skipAtGoal, Goal goal) throws Exception {
        ResolvedAttack fgsm = AttackCatalog.resolve(new AttackRequest("fgsm", null, null, null, null, null, null,
                goal, false, null, null, null, null, null, null, skipAtGoal), Requests.LIMITS);
        float eps = EpsilonBall.forRun(fgsm.parameters(), size).radius();
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
        int atGoal = 0;
        for (int i = 0; i < n; i++) {
            boolean alreadyThere = goal == Goal.FAKE ? logits[i] < 0 : logits[i] > 0;
            boolean left = alreadyThere && skipAtGoal;
            for (int j = i * size; j < (i + 1) * size; j++) {
                float expected = left ? x[j] : Math.min(Math.max(x[j] - eps * Math.signum(grad[j]), -1f), 1f);
                assertThat(outcome.adversarial()[j]).as("skipAtGoal %s goal %s image %d pixel %d", skipAtGoal, goal,
                        i, j - i * size).isEqualTo(expected);
            }
            attacked += alreadyThere ? 0 : 1;
            atGoal += alreadyThere ? 1 : 0;
            ImageOutcome result = outcome.results().get(i);
            assertThat(result.alreadyAtGoal()).isEqualTo(alreadyThere);
            assertThat(result.gradientCalls()).isEqualTo(left ? 0 : 1);
            if (left) {
                assertThat(result.success()).isTrue();
                assertThat(result.linf()).isZero();
            }
        }
        assertThat(attacked).as("images that needed the attack for goal " + goal).isPositive();
        assertThat(atGoal).as("images already at goal " + goal).isPositive();
    }
}

