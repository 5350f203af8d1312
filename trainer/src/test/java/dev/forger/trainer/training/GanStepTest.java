package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import dev.forger.trainer.nets.DiscriminatorBatches;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The signs and targets of both updates: the kind of bug that trains without error and never learns. */
class GanStepTest {

    static final DcganConfig CONFIG = DcganConfig.defaults(1).withConvDim(8).withLearningRate(1e-3);

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @ParameterizedTest
    @EnumSource(DiscriminatorBatches.class)
    void discriminatorUpdateRaisesRealLogitsAndLowersFakeOnes(DiscriminatorBatches batches) {
        MultiLayerNetwork g = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork d = DcganNets.discriminator(CONFIG, 2);
        INDArray real = Nd4j.rand(16, 1, 32, 32).muli(2).subi(1);
        INDArray z = new LatentSampler(3, 100).next(16);
        INDArray fake = g.output(z, true);
        double[] before = meanLogits(d, real, fake, batches);
        INDArray gBefore = g.params().dup();

        // the G update also runs; freeze its effect on this check by restoring G afterwards
        new GanStep(g, d, batches).run(real, z, new LatentSampler(4, 100).next(16), 0, 1);
        g.setParams(gBefore);

        double[] after = meanLogits(d, real, g.output(z, true), batches);
        assertThat(after[0]).as("real").isGreaterThan(before[0]);
        assertThat(after[1]).as("fake").isLessThan(before[1]);
    }

    /** D's mean logit on the real and on the fake batch, each measured in training mode on batches as D trains. */
    private static double[] meanLogits(MultiLayerNetwork d, INDArray real, INDArray fake, DiscriminatorBatches batches) {
        if (batches == DiscriminatorBatches.SEPARATE) {
            return new double[] {d.output(real, true).meanNumber().doubleValue(),
                    d.output(fake, true).meanNumber().doubleValue()};
        }
        INDArray logits = d.output(Nd4j.concat(0, real, fake), true);
        int n = (int) real.size(0);
        return new double[] {logits.get(NDArrayIndex.interval(0, n)).meanNumber().doubleValue(),
                logits.get(NDArrayIndex.interval(n, 2 * n)).meanNumber().doubleValue()};
    }

    @ParameterizedTest
    @EnumSource(DiscriminatorBatches.class)
    void generatorUpdateRaisesTheDiscriminatorsVerdictOnItsSamples(DiscriminatorBatches batches) {
        MultiLayerNetwork g = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork d = DcganNets.discriminator(CONFIG, 2);
        INDArray real = Nd4j.rand(16, 1, 32, 32).muli(2).subi(1);
        INDArray zForG = new LatentSampler(4, 100).next(16);
        GanStep step = new GanStep(g, d, batches);
        INDArray dBefore = d.params().dup();

        step.run(real, new LatentSampler(3, 100).next(16), zForG, 0, 1);
        INDArray dAfterStep = d.params().dup();
        // D as it was when G stepped; compare G's samples before and after G's update
        MultiLayerNetwork gBefore = DcganNets.generator(CONFIG, 1);
        double before = meanLogits(d, real, gBefore.output(zForG, true), batches)[1];
        double after = meanLogits(d, real, g.output(zForG, true), batches)[1];

        assertThat(after).isGreaterThan(before);
        assertThat(dAfterStep).as("the G step leaves D's weights alone").isEqualTo(d.params());
        assertThat(dAfterStep).isNotEqualTo(dBefore);
    }
}
