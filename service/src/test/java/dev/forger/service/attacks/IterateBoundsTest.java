package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every iterate of the ε-bounded iterative attacks stays in the ε-ball and [-1, 1]; the returned 8-bit image too. */
class IterateBoundsTest {
    private static final int N = 16;
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
    @CsvSource({"bim, LINF", "bim, L2", "pgd, LINF", "pgd, L2", "mifgsm, LINF", "mifgsm, L2", "apgd, LINF", "apgd, L2"})
    void everyIterateAndTheQuantizedResultStayInTheBall(String method, Norm norm) {
        float[] x = RealDigits.first(N);
        ResolvedAttack exact = Requests.resolve(method, norm, Goal.FLIP, false, 11);
        double eps = exact.parameters().epsilon();
        BallCheckingModel checking = new BallCheckingModel(model.attackModel(), norm, eps);
        AttackRunner.run(exact, checking, x, N); // the final score of the unquantized result is checked too
        assertThat(checking.checkedCalls).as("calls checked after the first score").isGreaterThanOrEqualTo(
                exact.parameters().steps() + 1);

        AttackOutcome outcome = AttackRunner.run(Requests.resolve(method, norm, Goal.FLIP, true, 11),
                model.attackModel(), x, N);
        for (ImageOutcome r : outcome.results()) {
            assertThat(norm == Norm.LINF ? r.linf() : r.l2()).as("%s image %d", method, r.index())
                    .isLessThanOrEqualTo(eps);
        }
        for (float v : outcome.adversarial()) {
            assertThat(v).isBetween(-1f, 1f);
            assertThat(Math.round((v + 1) * 127.5f) / 127.5f - 1).as("8-bit grey level").isEqualTo(v);
        }
    }
}
