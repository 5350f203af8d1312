package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.imaging.Pixels;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ε is a promise: over random images (float ones between the grey levels, as generated digits and float
 * uploads are), random ε (below one grey level, between levels, exactly k/255, large), every attack that takes
 * an ε in every norm it supports, goals and both skipAtGoal settings, every returned image lies within ε of the
 * image it is compared to, measured here independently of the runner: for 8-bit results in whole grey levels
 * against the 8-bit version of the input, for float results in double against the input itself. The reported
 * norms are exactly these. Runs on the tiny test bundle through ONNX Runtime (its gradient graph derived).
 *
 * <p>A seeded loop rather than a property-testing library: the cases are cheap to enumerate, and a failure
 * names its case and seed, which is all the shrinking this needs.
 */
class EpsilonPromiseTest {
    private static final int CASES_PER_ATTACK = 12;
    private static final int IMAGES = 3;
    private static final AttackLimits LIMITS = new AttackLimits(1000, 10000, 20);
    private static LoadedModel model;

    @BeforeAll
    static void load() throws Exception {
        model = TestModels.load(TinyBundle.write(Files.createTempDirectory("forger-epsilon-").resolve("tiny"),
                "tiny", 4), false);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void everyReturnedImageLiesWithinEpsilonOfItsOriginal() {
        SplittableRandom random = new SplittableRandom(20261202);
        int size = model.imageShape().size();
        int checked = 0;
        for (Attack attack : AttackCatalog.all()) {
            if (!attack.parameterNames().contains("epsilon")) {
                continue;
            }
            for (int c = 0; c < CASES_PER_ATTACK; c++) {
                Norm norm = attack.defaults().norms().get(random.nextInt(attack.defaults().norms().size()));
                double epsilon = epsilon(random, norm);
                boolean quantize = random.nextBoolean();
                Goal goal = Goal.values()[random.nextInt(3)];
                boolean skipAtGoal = random.nextBoolean();
                long seed = random.nextLong();
                float[] images = images(random, size);
                String what = String.format("%s %s ε=%s quantize=%s goal=%s skipAtGoal=%s seed=%d", attack.name(),
                        norm.label(), epsilon, quantize, goal, skipAtGoal, seed);
                ResolvedAttack resolved = AttackCatalog.resolve(new AttackRequest(attack.name(), epsilon, norm,
                        1 + random.nextInt(8), null, null, seed, goal, quantize, null, null, null, null,
                        20 + random.nextInt(300), null, skipAtGoal), LIMITS);
                AttackOutcome outcome = AttackRunner.run(resolved, model.attackModel(), images, IMAGES);
                for (ImageOutcome r : outcome.results()) {
                    double[] norms = quantize ? greyLevelNorms(outcome.adversarial(), images, r.index(), size, what)
                            : floatNorms(outcome.adversarial(), images, r.index(), size);
                    assertThat(norms[0]).as("L∞ of image %d, %s", r.index(), what).isLessThanOrEqualTo(epsilon);
                    if (norm == Norm.L2) {
                        assertThat(norms[1]).as("L2 of image %d, %s", r.index(), what).isLessThanOrEqualTo(epsilon);
                    }
                    assertThat(r.linf()).as("reported L∞, %s", what).isEqualTo(norms[0]);
                    assertThat(r.l2()).as("reported L2, %s", what).isCloseTo(norms[1],
                            org.assertj.core.api.Assertions.within(1e-12));
                    checked++;
                }
                for (float v : outcome.adversarial()) {
                    assertThat(v).as(what).isBetween(-1f, 1f);
                }
            }
        }
        assertThat(checked).isEqualTo(11 * CASES_PER_ATTACK * IMAGES); // every attack but deepfool and cw
    }

    @Test
    void belowOneGreyLevelAnEightBitLInfResultIsTheEightBitOriginal() {
        float[] images = images(new SplittableRandom(3), model.imageShape().size());
        for (String method : List.of("fgsm", "pgd", "square", "spsa")) {
            ResolvedAttack resolved = AttackCatalog.resolve(new AttackRequest(method, 0.0039, Norm.LINF, 3, null,
                    null, 1L, Goal.FLIP, true, null, null, null, null, 50, null), LIMITS);
            AttackOutcome outcome = AttackRunner.run(resolved, model.attackModel(), images, IMAGES);
            float[] eightBit = GreyLevels.rounded(images);
            assertThat(outcome.adversarial()).as(method).containsExactly(eightBit);
            assertThat(outcome.originals()).as(method).containsExactly(eightBit);
            assertThat(outcome.results()).allSatisfy(r -> assertThat(r.linf()).isZero());
        }
    }

    @Test
    void greyLevelsWithinEpsilonAreCountedInTheReportedArithmetic() {
        assertThat(GreyLevels.within(0.0039)).isZero(); // 0.0039 < 1/255 = 0.0039216
        assertThat(GreyLevels.within(1 / 255.0)).isOne();
        assertThat(GreyLevels.within(0.0314)).isEqualTo(8);
        assertThat(GreyLevels.within(8 / 255.0)).isEqualTo(8);
        assertThat(GreyLevels.within(0.0627)).isEqualTo(15); // 16/255 = 0.062745
        for (int k = 0; k <= 255; k++) {
            assertThat(GreyLevels.within(k / 255.0)).isEqualTo(k);
        }
        assertThat(GreyLevels.within(1.0)).isEqualTo(255);
    }

    @Test
    void anL2ResultThatNearestRoundingPushesOutIsRoundedBackInside() {
        int size = 4;
        float[] original = {Pixels.toModel(10), Pixels.toModel(10), Pixels.toModel(10), Pixels.toModel(10)};
        // each pixel 0.6 levels up: ‖δ‖ = 1.2 levels, inside ε = 1.25 levels; nearest rounding gives 2 levels: outside
        float[] x = new float[size];
        for (int j = 0; j < size; j++) {
            x[j] = original[j] + 0.6f / 127.5f;
        }
        double epsilon = 1.25 / 255;
        GreyLevels.roundInsideBall(x, original, Norm.L2, epsilon, size);
        int moved = 0;
        for (int j = 0; j < size; j++) {
            int step = Pixels.toPixel(x[j]) - 10;
            assertThat(step).isBetween(0, 1);
            moved += step;
        }
        assertThat(moved).as("one level on one pixel is the most that stays inside").isEqualTo(1);
        assertThat(PerturbationNorms.l2(x, original, 0, size, true)).isLessThanOrEqualTo(epsilon);
    }

    /** Below a level, fractions of levels, exact multiples and large ones; L2 up to a few units. */
    private static double epsilon(SplittableRandom random, Norm norm) {
        double levels = switch (random.nextInt(4)) {
            case 0 -> random.nextDouble(0.01, 1.0);
            case 1 -> 1 + random.nextInt(20) + random.nextDouble();
            case 2 -> 1 + random.nextInt(32);
            default -> random.nextDouble(1, 255);
        };
        double linf = Math.min(levels / 255, 1.0);
        return norm == Norm.LINF ? linf : Math.min(linf * random.nextDouble(1, 32), 100);
    }

    /** Float images between the grey levels, some pixels at the box's ends (where clipping binds). */
    private static float[] images(SplittableRandom random, int size) {
        float[] x = new float[IMAGES * size];
        for (int j = 0; j < x.length; j++) {
            x[j] = switch (random.nextInt(6)) {
                case 0 -> -1f;
                case 1 -> 1f;
                default -> (float) random.nextDouble(-1, 1);
            };
        }
        return x;
    }

    /** {L∞, L2} in pixel units, in whole grey levels against the 8-bit version of the input. */
    private static double[] greyLevelNorms(float[] returned, float[] inputs, int image, int size, String what) {
        long squares = 0;
        int max = 0;
        List<Float> offGrid = new ArrayList<>();
        for (int j = image * size; j < (image + 1) * size; j++) {
            int level = Math.round((returned[j] + 1) * 127.5f);
            if (Pixels.toModel(level) != returned[j]) {
                offGrid.add(returned[j]);
            }
            int d = level - Math.round((Math.min(Math.max(inputs[j], -1f), 1f) + 1) * 127.5f);
            max = Math.max(max, Math.abs(d));
            squares += (long) d * d;
        }
        assertThat(offGrid).as("8-bit values only, %s", what).isEmpty();
        return new double[] {max / 255.0, Math.sqrt(squares) / 255.0};
    }

    /** {L∞, L2} in pixel units, in double against the input itself. */
    private static double[] floatNorms(float[] returned, float[] inputs, int image, int size) {
        double max = 0;
        double sum = 0;
        for (int j = image * size; j < (image + 1) * size; j++) {
            double d = (double) returned[j] - inputs[j];
            max = Math.max(max, Math.abs(d));
            sum += d * d;
        }
        return new double[] {max / 2, Math.sqrt(sum) / 2};
    }
}
