package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The signs and targets of both updates: the kind of bug that trains without error and never learns. */
class GanStepTest {

    static final DcganConfig CONFIG = DcganConfig.defaults(1).withConvDim(8).withLearningRate(1e-3);

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void discriminatorUpdateRaisesRealLogitsAndLowersFakeOnes() {
        MultiLayerNetwork g = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork d = DcganNets.discriminator(CONFIG, 2);
        INDArray real = Nd4j.rand(16, 1, 32, 32).muli(2).subi(1);
        INDArray z = new LatentSampler(3, 100).next(16);
        INDArray fake = g.output(z, true);
        double realBefore = d.output(real, true).meanNumber().doubleValue();
        double fakeBefore = d.output(fake, true).meanNumber().doubleValue();
        INDArray gBefore = g.params().dup();

        // the G update also runs; freeze its effect on this check by restoring G afterwards
        new GanStep(g, d).run(real, z, new LatentSampler(4, 100).next(16), 0, 1);
        g.setParams(gBefore);

        assertThat(d.output(real, true).meanNumber().doubleValue()).isGreaterThan(realBefore);
        assertThat(d.output(g.output(z, true), true).meanNumber().doubleValue()).isLessThan(fakeBefore);
    }

    @Test
    void generatorUpdateRaisesTheDiscriminatorsVerdictOnItsSamples() {
        MultiLayerNetwork g = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork d = DcganNets.discriminator(CONFIG, 2);
        INDArray real = Nd4j.rand(16, 1, 32, 32).muli(2).subi(1);
        INDArray zForG = new LatentSampler(4, 100).next(16);
        GanStep step = new GanStep(g, d);
        INDArray dBefore = d.params().dup();

        step.run(real, new LatentSampler(3, 100).next(16), zForG, 0, 1);
        INDArray dAfterStep = d.params().dup();
        // D as it was when G stepped; compare G's samples before and after G's update
        MultiLayerNetwork gBefore = DcganNets.generator(CONFIG, 1);
        double before = d.output(gBefore.output(zForG, true), true).meanNumber().doubleValue();
        double after = d.output(g.output(zForG, true), true).meanNumber().doubleValue();

        assertThat(after).isGreaterThan(before);
        assertThat(dAfterStep).as("the G step leaves D's weights alone").isEqualTo(d.params());
        assertThat(dAfterStep).isNotEqualTo(dBefore);
    }
}
