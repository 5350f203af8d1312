package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.trainer.NativeBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class LogitLossTest {

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void matchesTheTextbookCrossEntropyAndItsDerivative() {
        float[] logits = {-3f, -0.5f, 0f, 2f};
        LogitLoss loss = LogitLoss.of(Nd4j.create(logits, new long[] {4, 1}, 'c'), 1.0);
        double expected = 0;
        for (int i = 0; i < logits.length; i++) {
            double p = 1 / (1 + Math.exp(-logits[i]));
            expected += -Math.log(p) / logits.length;
            assertThat(loss.gradient().getDouble(i, 0)).isCloseTo(p - 1, within(1e-6));
        }
        assertThat(loss.meanLoss()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void staysFiniteForHugeLogits() {
        LogitLoss loss = LogitLoss.of(Nd4j.create(new float[] {1000f, -1000f}, new long[] {2, 1}, 'c'), 0.0);

        assertThat(loss.meanLoss()).isCloseTo(500.0, within(1e-6));
        assertThat(loss.meanProbability()).isCloseTo(0.5, within(1e-12));
        assertThat(loss.gradient().getDouble(0, 0)).isEqualTo(1.0);
        assertThat(loss.gradient().getDouble(1, 0)).isEqualTo(0.0);
    }
}
