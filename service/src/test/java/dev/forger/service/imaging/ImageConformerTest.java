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

    @Test
    void padCentresTheImageOnBlackLikeTheTrainersMnistFrame() {
        float[] digit = new float[28 * 28];
        Arrays.fill(digit, 0.5f);
        float[] out = ImageConformer.conform(new ImageBatch(new ImageShape(1, 28, 28), 1, digit), 0, MNIST,
                ResizeMode.PAD, "x");
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                assertThat(out[y * 32 + x]).as("(%d, %d)", x, y).isEqualTo(inside ? 0.5f : -1f);
            }
        }
    }

    @Test
    void padPutsAnOddMarginsExtraRowAfterTheImageAndKeepsChannelsApart() {
        ImageShape rgb = new ImageShape(3, 4, 4);
        float[] red = {1f, /* g */ 0f, /* b */ -0.5f}; // a 1x1 colour image
        float[] out = ImageConformer.conform(new ImageBatch(new ImageShape(3, 1, 1), 1, red), 0, rgb,
                ResizeMode.PAD, "x");
        // (4 - 1) / 2 = 1 row and column before, 2 after
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 16; i++) {
                assertThat(out[c * 16 + i]).isEqualTo(i == 1 * 4 + 1 ? red[c] : -1f);
            }
        }
    }

    @Test
    void padRefusesAnImageLargerThanTheModelInEitherDirection() {
        ImageBatch wide = new ImageBatch(new ImageShape(1, 20, 33), 1, new float[20 * 33]);
        assertProblem(() -> ImageConformer.conform(wide, 0, MNIST, ResizeMode.PAD, "image[1]"),
                ProblemType.WRONG_IMAGE_SIZE, "image[1] is 33x20", "larger than the model's 32x32", "resize=true");
    }

    @Test
    void resizeParameterNamesEachMode() {
        assertThat(ResizeMode.parse(null)).contains(ResizeMode.REFUSE);
        assertThat(ResizeMode.parse(" False ")).contains(ResizeMode.REFUSE);
        assertThat(ResizeMode.parse("true")).contains(ResizeMode.SCALE);
        assertThat(ResizeMode.parse("scale")).contains(ResizeMode.SCALE);
        assertThat(ResizeMode.parse("PAD")).contains(ResizeMode.PAD);
        assertThat(ResizeMode.parse("crop")).isEmpty();
    }
}
