package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed fixes every random choice: same seed, same bits; another seed, another result. */
class SeedTest {
    private static final int N = 4;
    private static LoadedModel model;

    @BeforeAll
    static void load() {
        model = TestModels.embeddedDefault(false);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @CsvSource({"pgd, LINF", "pgd, L2", "apgd, LINF", "square, LINF", "square, L2", "spsa, LINF"})
    void sameSeedSameBitsOtherSeedOtherImages(String method, Norm norm) {
        float[] x = RealDigits.first(N);
        float[] first = run(method, norm, x, 7);
        float[] again = run(method, norm, x, 7);
        float[] other = run(method, norm, x, 8);
        assertThat(again).as("same seed").containsExactly(first);
        assertThat(other).as("another seed").isNotEqualTo(first);
    }

    private static float[] run(String method, Norm norm, float[] x, long seed) {
        // few steps/queries and no rounding: the random start or search is what differs
        ResolvedAttack attack = AttackCatalog.resolve(new AttackRequest(method, null, norm, 5, null, null, seed,
                Goal.FLIP, false, null, null, null, null, 200, null), Requests.LIMITS);
        return AttackRunner.run(attack, model.attackModel(), x, N).adversarial();
    }
}
