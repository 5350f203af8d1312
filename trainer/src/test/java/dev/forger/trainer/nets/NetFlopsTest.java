package dev.forger.trainer.nets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arithmetic the benchmark assumes, against a count done by hand from the architecture. */
class NetFlopsTest {

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void discriminatorOfTheSeedIsAboutNinePointTwoMegaflopPerImage() {
        // 4×4 convolutions, 2 FLOP per multiply-add, counted at each output pixel: 3→32 to 16×16, 32→64 to 8×8,
        // 64→128 to 4×4, then the dense layer 2048 → 1
        long byHand = 2L * (16 * 16 * 16 * 3 * 32 + 8 * 8 * 16 * 32 * 64 + 4 * 4 * 16 * 64 * 128 + 2048);
        assertThat(NetFlops.forwardPerImage(DcganNets.discriminator(DcganConfig.defaults(3), 1),
                InputType.convolutional(32, 32, 3))).isEqualTo(byHand).isEqualTo(9_179_136L);
    }

    @Test
    void generatorOfTheSeedIsAboutNinePointSixMegaflopPerImage() {
        // dense 100 → 4·4·128, then 4×4 transposed convolutions counted at each input pixel: 128→64 from 4×4,
        // 64→32 from 8×8, 32→3 from 16×16
        long byHand = 2L * (100 * 2048 + 4 * 4 * 16 * 128 * 64 + 8 * 8 * 16 * 64 * 32 + 16 * 16 * 16 * 32 * 3);
        assertThat(NetFlops.forwardPerImage(DcganNets.generator(DcganConfig.defaults(3), 1),
                InputType.feedForward(100))).isEqualTo(byHand).isEqualTo(9_584_640L);
    }

    @Test
    void followsTheShapesItIsGiven() {
        DcganConfig narrow = DcganConfig.defaults(1).withConvDim(8);
        long conv = 2L * (16 * 16 * 16 * 1 * 8 + 8 * 8 * 16 * 8 * 16 + 4 * 4 * 16 * 16 * 32 + 512);
        assertThat(NetFlops.forwardPerImage(DcganNets.discriminator(narrow, 1), InputType.convolutional(32, 32, 1)))
                .isEqualTo(conv);
        // without BatchNorm the layers gain biases, which the count leaves out, and nothing else changes
        assertThat(NetFlops.forwardPerImage(DcganNets.discriminator(narrow.withBatchNorm(false), 1),
                InputType.convolutional(32, 32, 1))).isEqualTo(conv);
    }
}
