package dev.forger.trainer.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.trainer.NativeBackend;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DcganNetsTest {

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void generatorMapsLatentsToTanhImagesOfTheConfiguredShape() {
        DcganConfig config = DcganConfig.defaults(3);
        MultiLayerNetwork g = DcganNets.generator(config, 1);
        INDArray images = g.output(Nd4j.rand(5, 100).muli(2).subi(1), false);
        assertThat(images.shape()).containsExactly(5, 3, 32, 32);
        assertThat(images.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        assertThat(images.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
    }

    @Test
    void discriminatorGivesOneUnboundedLogitPerImage() {
        MultiLayerNetwork d = DcganNets.discriminator(DcganConfig.defaults(1), 1);
        INDArray logits = d.output(Nd4j.rand(4, 1, 32, 32).muli(2).subi(1), false);
        assertThat(logits.shape()).containsExactly(4, 1);
    }

    @Test
    void batchNormCanBeSwitchedOffWithoutChangingShapes() {
        DcganConfig plain = DcganConfig.defaults(1).withBatchNorm(false);
        MultiLayerNetwork g = DcganNets.generator(plain, 1);
        MultiLayerNetwork d = DcganNets.discriminator(plain, 1);
        assertThat(g.getLayers()).noneMatch(l -> l.conf().getLayer() instanceof BatchNormalization);
        assertThat(d.getLayers()).noneMatch(l -> l.conf().getLayer() instanceof BatchNormalization);
        assertThat(d.output(g.output(Nd4j.zeros(2, 100))).shape()).containsExactly(2, 1);
    }

    @Test
    void weightsStartFromTheSeedsNormalDistribution() {
        MultiLayerNetwork d = DcganNets.discriminator(DcganConfig.defaults(3), 7);
        INDArray w = d.getLayer(0).getParam("W");
        assertThat(w.meanNumber().doubleValue()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.005));
        assertThat(w.stdNumber().doubleValue()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.003));
    }

    @Test
    void sameSeedSameWeights() {
        DcganConfig config = DcganConfig.defaults(1);
        assertThat(DcganNets.generator(config, 3).params()).isEqualTo(DcganNets.generator(config, 3).params());
    }

    @Test
    void rejectsImageSizesTheArchitectureCannotProduce() {
        assertThatThrownBy(() -> new DcganConfig(100, 1, 28, 32, true, 2e-4, 0.5, 0.999, 0.2, 0.02))
                .hasMessageContaining("32x32");
    }
}
