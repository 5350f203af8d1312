package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import dev.forger.trainer.nets.DiscriminatorBatches;
import dev.forger.trainer.nets.NetFlops;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IterationBenchmarkTest {

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void anIterationOfTheSeedsRecipeIsNineDiscriminatorAndFourGeneratorForwards() {
        DcganConfig config = DcganConfig.defaults(3);
        MultiLayerNetwork g = DcganNets.generator(config, 1);
        MultiLayerNetwork d = DcganNets.discriminator(config, 2);
        long dForward = NetFlops.forwardPerImage(d, InputType.convolutional(32, 32, 3));
        long gForward = NetFlops.forwardPerImage(g, InputType.feedForward(100));

        assertThat(IterationBenchmark.flopsPerIteration(config, g, d)).isEqualTo(9.0 * dForward + 4.0 * gForward);
        // the estimate for batch 64: about 7.8 GFLOP
        assertThat(64 * IterationBenchmark.flopsPerIteration(config, g, d) / 1e9).isBetween(7.7, 7.8);
        // mixed batches: D sees real + fake in both steps
        assertThat(IterationBenchmark.flopsPerIteration(config.withDiscriminatorBatches(DiscriminatorBatches.MIXED), g, d))
                .isEqualTo(12.0 * dForward + 4.0 * gForward);
    }

    @Test
    void everyVariantRuns() {
        for (IterationBenchmark.Variant variant : IterationBenchmark.Variant.ALL) {
            IterationBenchmark.Result r = IterationBenchmark.run(DcganConfig.defaults(1).withConvDim(4), variant, 4, 0, 1);
            assertThat(r.variant()).isEqualTo(variant);
            assertThat(r.secondsPerIteration()).isPositive();
            assertThat(r.gflopPerSecond()).isPositive();
        }
        assertThat(IterationBenchmark.Variant.named(" Baseline ")).isEqualTo(IterationBenchmark.Variant.BASELINE);
    }
}
