package dev.forger.service.imaging;

import static dev.forger.service.imaging.ImageDecoderTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.service.problem.ProblemType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageConformerTest {
    private static final ImageShape MNIST = new ImageShape(1, 32, 32);

    @Test
    void wrongSizeIsRefusedNamingTheExpectedSize() {
        ImageBatch digit = new ImageBatch(new ImageShape(1, 28, 28), 1, new float[28 * 28]);
        assertProblem(() -> ImageConformer.conform(digit, 0, MNIST, false, "image[0]"),
                ProblemType.WRONG_IMAGE_SIZE, "image[0] is 28x28", "expects 32x32", "resize=true");
    }

    @Test
    void resizeKeepsAFlatImageFlat() {
        float[] grey = new float[28 * 28];
        Arrays.fill(grey, 0.25f);
        float[] up = ImageConformer.conform(new ImageBatch(new ImageShape(1, 28, 28), 1, grey), 0, MNIST, true, "x");
        assertThat(up).hasSize(32 * 32);
        for (float v : up) {
            assertThat(v).isCloseTo(0.25f, within(1e-6f));
        }
    }

    @Test
    void shrinkingAveragesBlocks() {
        // a 64x64 checkerboard of 2x2 blocks of -1 and 1 averages to ... 2x2 blocks map to one pixel each
        float[] board = new float[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                board[y * 64 + x] = ((x + y) % 2 == 0) ? 1f : -1f;
            }
        }
        float[] down = ImageConformer.conform(new ImageBatch(new ImageShape(1, 64, 64), 1, board), 0, MNIST,
                true, "x");
        for (float v : down) {
            assertThat(v).isCloseTo(0f, within(1e-6f)); // each output pixel averages two 1s and two -1s
        }
    }

    @Test
    void greyIsReplicatedAndColourBecomesLuma() {
        ImageShape grey = new ImageShape(1, 1, 2);
        ImageShape rgb = new ImageShape(3, 1, 2);
        float[] replicated = ImageConformer.conform(new ImageBatch(grey, 1, new float[] {0.5f, -0.5f}), 0, rgb,
                false, "x");
        assertThat(replicated).containsExactly(0.5f, -0.5f, 0.5f, -0.5f, 0.5f, -0.5f);

        float[] colour = {1f, -1f, /* g */ -1f, -1f, /* b */ -1f, 1f};
        float[] luma = ImageConformer.conform(new ImageBatch(rgb, 1, colour), 0, grey, false, "x");
        assertThat(luma[0]).isCloseTo(0.299f - 0.587f - 0.114f, within(1e-6f));
        assertThat(luma[1]).isCloseTo(-0.299f - 0.587f + 0.114f, within(1e-6f));
    }
}
