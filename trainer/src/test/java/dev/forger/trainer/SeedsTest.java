package dev.forger.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SeedsTest {

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void derivedSeedsAreFixedNonZeroAndDifferForEveryStreamSeedAndEpoch() {
        Set<Long> seen = new HashSet<>();
        for (long seed : new long[] {0, 1, 2, -1, Long.MAX_VALUE}) {
            for (String stream : new String[] {Seeds.GENERATOR_INIT, Seeds.DISCRIMINATOR_INIT, Seeds.HELD_OUT_SPLIT,
                    Seeds.GRID_LATENTS, Seeds.QUALITY, Seeds.CLASSIFIER_INIT}) {
                long derived = Seeds.derive(seed, stream);
                assertThat(derived).isNotZero().isEqualTo(Seeds.derive(seed, stream));
                assertThat(seen.add(derived)).as("%s of seed %d is unique", stream, seed).isTrue();
            }
            for (int epoch = 0; epoch < 50; epoch++) {
                assertThat(seen.add(Seeds.derive(seed, Seeds.DATA_ORDER, epoch))).isTrue();
                assertThat(seen.add(Seeds.derive(seed, Seeds.LATENTS, epoch))).isTrue();
            }
        }
    }

    @Test
    void theDerivationIsPinned() {
        // checkpoints record Seeds.SCHEME: changing the derivation must come with a new scheme number
        assertThat(Seeds.derive(0, Seeds.GENERATOR_INIT)).isEqualTo(PINNED_GENERATOR_INIT_OF_SEED_0);
        assertThat(Seeds.SCHEME).isEqualTo(2);
    }

    static final long PINNED_GENERATOR_INIT_OF_SEED_0 = -7577159161796917700L;

    @Test
    void nd4jTreatsSeedZeroAsTheClockWhichIsWhyNoStreamGetsIt() throws InterruptedException {
        // the root cause of issue 10's irreproducible default seed, kept as a test so that a fixed ND4J shows up
        Nd4j.getRandom().setSeed(0);
        INDArray first = Nd4j.rand(new long[] {8});
        Thread.sleep(50);
        Nd4j.getRandom().setSeed(0);
        INDArray second = Nd4j.rand(new long[] {8});
        assertThat(first).as("setSeed(0) reseeds from the clock").isNotEqualTo(second);

        DcganConfig config = DcganConfig.defaults(1).withConvDim(4);
        long seed = Seeds.derive(0, Seeds.GENERATOR_INIT);
        assertThat(DcganNets.generator(config, seed).params()).isEqualTo(DcganNets.generator(config, seed).params());
    }
}
