package dev.forger.trainer.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.trainer.NativeBackend;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormFoldingTest {

    static final DcganConfig CONFIG = DcganConfig.defaults(1).withConvDim(8);

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void theFoldedDiscriminatorComputesTheInferenceModeFunctionInEitherMode() {
        MultiLayerNetwork d = withBatchNormStatistics(DcganNets.discriminator(CONFIG, 2), new Random(4));
        INDArray x = Nd4j.rand(new long[] {6, 1, 32, 32}).muli(2).subi(1);

        MultiLayerNetwork folded = BatchNormFolding.foldDiscriminator(d, CONFIG, 9);

        assertThat(folded.getLayerWiseConfigurations().getConfs())
                .noneMatch(c -> c.getLayer() instanceof BatchNormalization);
        INDArray expected = d.output(x, false);
        assertThat(maxAbsDiff(folded.output(x, false), expected)).isLessThan(1e-5);
        assertThat(maxAbsDiff(folded.output(x, true), expected)).as("no batch statistics left: training mode is the same")
                .isLessThan(1e-5);
        INDArray one = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1));
        assertThat(maxAbsDiff(folded.output(one, true), expected.getRow(0, true))).as("one image alone").isLessThan(1e-5);
    }

    @Test
    void onlyADiscriminatorWithBatchNormFolds() {
        DcganConfig plain = CONFIG.withBatchNorm(false);
        assertThatThrownBy(() -> BatchNormFolding.foldDiscriminator(DcganNets.discriminator(plain, 1), plain, 2))
                .hasMessageContaining("no BatchNorm to fold");
    }

    /** γ, β, running mean and variance away from (1, 0, 0, 1), so that a swapped or ignored one shows. */
    static MultiLayerNetwork withBatchNormStatistics(MultiLayerNetwork net, Random random) {
        for (int i = 0; i < net.getnLayers(); i++) {
            Map<String, INDArray> params = net.getLayer(i).paramTable();
            if (params.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                fill(params.get(BatchNormalizationParamInitializer.GAMMA), random, 0.5, 1.5);
                fill(params.get(BatchNormalizationParamInitializer.BETA), random, -0.3, 0.3);
                fill(params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN), random, -0.2, 0.2);
                fill(params.get(BatchNormalizationParamInitializer.GLOBAL_VAR), random, 0.05, 2.0);
            }
        }
        return net;
    }

    private static void fill(INDArray view, Random random, double low, double high) {
        for (long i = 0; i < view.length(); i++) {
            view.putScalar(i, low + (high - low) * random.nextDouble());
        }
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
