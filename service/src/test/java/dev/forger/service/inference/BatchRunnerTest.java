package dev.forger.service.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchRunnerTest {
    @Test
    void clippingKeepsOutputsInTheDocumentedRange() throws Exception {
        BatchRunner tanhWithRoundOff = (input, n) -> new float[] {-1.0000001f, -1f, 0.25f, 1f, Math.nextUp(1f), Float.NaN};
        assertThat(tanhWithRoundOff.clippedTo(-1f, 1f).run(new float[1], 1))
                .containsExactly(-1f, -1f, 0.25f, 1f, 1f, Float.NaN);
    }
}
