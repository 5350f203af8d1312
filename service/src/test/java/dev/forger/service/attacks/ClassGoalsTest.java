package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.ClassifierBundle;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Class goals through the shared machinery, on the default bundle with its classifier, or one the tests train
 * while it ships none ({@link ClassifierBundle}): the goal model's score is positive exactly when the classifier says what the goal
 * wants, and the descent attacks reach class goals in pixel and latent space, with the realism term keeping the
 * discriminator's verdict real.
 */
class ClassGoalsTest {
    private static final int N = 10;
    private static LoadedModel model;
    private static float[] z;
    private static float[] images;

    @BeforeAll
    static void load() throws Exception {
        model = TestModels.load(ClassifierBundle.write(Files.createTempDirectory("forger-class-").resolve("b"), "c"),
                false);
        z = LatentSampler.sample(model.manifest().latent(), 7, N);
        images = model.generate(z, N).join();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static ResolvedAttack resolve(String method, Norm norm, double epsilon, int steps, boolean quantize) {
        return AttackCatalog.resolve(new AttackRequest(method, epsilon, norm, steps, null, null, 0L, Goal.REAL, quantize,
                null, null, null, null, null, null), Requests.LIMITS);
    }

    private static int[] predicted(ClassifierNetworks networks, float[] points, int count) {
        float[] v = networks.verdicts(points, count);
        int k = networks.classes();
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                best = v[i * (k + 1) + j] > v[i * (k + 1) + best] ? j : best;
            }
            classes[i] = best;
        }
        return classes;
    }

    private static float[] discriminator(ClassifierNetworks networks, float[] points, int count) {
        float[] v = networks.verdicts(points, count);
        int k = networks.classes();
        float[] logits = new float[count];
        for (int i = 0; i < count; i++) {
            logits[i] = v[i * (k + 1) + k];
        }
        return logits;
    }

    @Test
    void theScoreIsPositiveExactlyWhenTheClassifierSaysWhatTheGoalWants() {
        ClassifierNetworks pixel = model.classifierNetworks(false).orElseThrow();
        int[] original = predicted(pixel, images, N);
        AttackModel change = new ClassGoal(null, 0).model(pixel, original);
        for (float score : change.logits(images, N)) {
            assertThat(score).as("class-change at the original").isLessThanOrEqualTo(0f);
        }
        for (int k = 0; k < 10; k++) {
            float[] scores = new ClassGoal(k, 0).model(pixel, original).logits(images, N);
            for (int i = 0; i < N; i++) {
                assertThat(scores[i] > 0).as("class:%d on image %d (classifier says %d)", k, i, original[i])
                        .isEqualTo(original[i] == k);
            }
        }
    }

    @Test
    void pixelPgdChangesTheClassOfMostDigits() {
        ClassifierNetworks pixel = model.classifierNetworks(false).orElseThrow();
        int[] original = predicted(pixel, images, N);
        AttackOutcome outcome = AttackRunner.run(resolve("pgd", Norm.LINF, 32.0 / 255, 20, true),
                new ClassGoal(null, 0).model(pixel, original), images, N);
        int[] after = predicted(pixel, outcome.adversarial(), N);
        int changed = 0;
        for (ImageOutcome r : outcome.results()) {
            assertThat(r.success()).as("success is the classifier's verdict").isEqualTo(after[r.index()] != original[r.index()]);
            changed += r.success() ? 1 : 0;
            assertThat(r.linf()).isLessThanOrEqualTo(32.0 / 255);
        }
        // measured when written: 27 of 32 at 32/255 (15 at 16/255): the linear classifier needs large ε
        assertThat(changed).isGreaterThan(N / 2);
    }

    @Test
    void latentClassGoalsWithRealismMakeTheClassifierSayKWhileTheDiscriminatorSaysReal() {
        // every (digit, k) pair with k not the digit's class: PGD-L∞ in latent space, δ 2 (the whole support),
        // 100 steps, realism 3. Measured when written: the classifier said k for 80 of 90 pairs, D "real" for 53
        // (without realism: 77 and 0 — the discriminator calls generated digits fake). With the linear classifier and
        // each image's random start drawn from its own stream (issue #14), D said "real" for 44: each image's start
        // is shared by its 9 pairs, so counts move in steps of a few images.
        ClassifierNetworks latent = model.classifierNetworks(true).orElseThrow();
        int[] original = predicted(latent, z, N);
        int pairs = 0;
        int saysK = 0;
        int real = 0;
        for (int k = 0; k < 10; k++) {
            AttackOutcome outcome = AttackRunner.run(AttackCatalog.resolve(new AttackRequest("pgd", 2.0, Norm.LINF, 100,
                    null, null, 0L, Goal.REAL, false, null, null, null, null, null, null), Requests.LIMITS,
                    latent.space()), new ClassGoal(k, 3).model(latent, original), z, N);
            int[] after = predicted(latent, outcome.adversarial(), N);
            float[] d = discriminator(latent, outcome.adversarial(), N);
            for (ImageOutcome r : outcome.results()) {
                int i = r.index();
                assertThat(r.success()).isEqualTo(after[i] == k);
                if (original[i] == k) {
                    continue;
                }
                pairs++;
                saysK += after[i] == k ? 1 : 0;
                real += d[i] > 0 ? 1 : 0;
            }
        }
        // #15's property: a majority of pairs labelled k, most of them still real to D (not this classifier's count)
        assertThat(saysK).as("pairs where the classifier says k, of %d", pairs).isGreaterThan(pairs / 2);
        assertThat(real).as("pairs the discriminator calls real, of %d", pairs).isGreaterThan(pairs / 2);
    }
}
