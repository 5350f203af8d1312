package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    @TempDir
    Path dir;

    @Test
    void greyPixelsSurviveThePngRoundTripExactly() throws IOException {
        // -1 → 0, 1 → 255, 0 → round(127.5) = 128, -0.5 → round(63.75) = 64, out of range clamps
        float[] image = {-1f, 1f, 0f, -0.5f, 2f, -3f};
        Path file = dir.resolve("grey.png");

        ImageGrid.writePng(image, 1, 1, 2, 3, file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(read.getWidth()).isEqualTo(3);
        assertThat(read.getHeight()).isEqualTo(2);
        assertThat(samples(read.getRaster(), 0)).containsExactly(0, 255, 128, 64, 255, 0);
    }

    @Test
    void everyEightBitLevelComesBackAsItWent() throws IOException {
        float[] image = new float[256];
        for (int p = 0; p < 256; p++) {
            image[p] = p / 127.5f - 1f; // the loaders' mapping
        }
        Path file = dir.resolve("levels.png");

        ImageGrid.writePng(image, 1, 1, 16, 16, file);

        int[] back = samples(ImageIO.read(file.toFile()).getRaster(), 0);
        for (int p = 0; p < 256; p++) {
            assertThat(back[p]).as("level %d", p).isEqualTo(p);
        }
    }

    @Test
    void rgbTakesRedGreenBlueFromTheThreePlanes() throws IOException {
        // one 1x2 image: plane 0 (red) = {1, -1}, plane 1 (green) = {0, -1}, plane 2 (blue) = {-1, 1}
        float[] image = {1f, -1f, 0f, -1f, -1f, 1f};
        Path file = dir.resolve("rgb.png");

        ImageGrid.writePng(image, 1, 3, 1, 2, file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getRaster().getNumBands()).isEqualTo(3);
        assertThat(read.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF8000);
        assertThat(read.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
    }

    @Test
    void imagePicksTheIndexedImageOfTheBatch() {
        float[] batch = {-1f, -1f, -1f, -1f, 1f, 1f, 0f, 1f}; // two 1x2x2 grey images

        BufferedImage second = ImageGrid.image(batch, 1, 1, 2, 2);

        assertThat(second.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(samples(second.getRaster(), 0)).containsExactly(255, 255, 128, 255);
        assertThat(ImageGrid.image(batch, 0, 3, 1, 1).getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void mosaicIsNearSquareWithTwoPixelGreyGaps() {
        int count = 5;
        int h = 4;
        int w = 3;
        float[] batch = new float[count * h * w];
        int[] levels = {0, 40, 80, 200, 255};
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < h * w; p++) {
                batch[i * h * w + p] = levels[i] / 127.5f - 1f;
            }
        }

        BufferedImage mosaic = ImageGrid.mosaic(batch, count, 1, h, w);

        // 5 images: 3 columns, 2 rows
        assertThat(mosaic.getWidth()).isEqualTo(3 * w + 2 * ImageGrid.GAP);
        assertThat(mosaic.getHeight()).isEqualTo(2 * h + ImageGrid.GAP);
        Raster r = mosaic.getRaster();
        for (int i = 0; i < count; i++) {
            int left = (i % 3) * (w + 2);
            int top = (i / 3) * (h + 2);
            assertThat(r.getSample(left, top, 0)).as("top-left of tile %d", i).isEqualTo(levels[i]);
            assertThat(r.getSample(left + w - 1, top + h - 1, 0)).as("bottom-right of tile %d", i).isEqualTo(levels[i]);
        }
        assertThat(r.getSample(w, 0, 0)).as("gap between columns").isEqualTo(ImageGrid.GAP_LEVEL);
        assertThat(r.getSample(w + 1, h + 1, 0)).as("gap crossing").isEqualTo(ImageGrid.GAP_LEVEL);
        assertThat(r.getSample(0, h, 0)).as("gap between rows").isEqualTo(ImageGrid.GAP_LEVEL);
        assertThat(r.getSample(2 * (w + 2), h + 2, 0)).as("unused sixth cell").isEqualTo(ImageGrid.GAP_LEVEL);
    }

    @Test
    void mosaicOfSixtyFourIsEightByEight() {
        BufferedImage mosaic = ImageGrid.mosaic(new float[64 * 3 * 8 * 8], 64, 3, 8, 8);

        assertThat(mosaic.getWidth()).isEqualTo(8 * 8 + 7 * 2);
        assertThat(mosaic.getHeight()).isEqualTo(8 * 8 + 7 * 2);
        assertThat(mosaic.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void badShapesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ImageGrid.mosaic(new float[8], 2, 2, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels must be 1");
        assertThatThrownBy(() -> ImageGrid.mosaic(new float[10], 3, 1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 10 floats").hasMessageContaining("need 12");
        assertThatThrownBy(() -> ImageGrid.image(new float[4], 1, 1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 8");
        assertThatThrownBy(() -> ImageGrid.mosaic(new float[4], 0, 1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one image");
    }

    @Test
    void writingReplacesTheFileAndLeavesNoTemporaries() throws IOException {
        Path file = dir.resolve("samples.png");
        ImageGrid.writePng(new float[] {-1f}, 1, 1, 1, 1, file);
        ImageGrid.writePng(new float[] {1f, 1f, 1f, 1f}, 4, 1, 1, 1, file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getWidth()).isEqualTo(2 + ImageGrid.GAP);
        assertThat(read.getRaster().getSample(0, 0, 0)).isEqualTo(255);
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    private static int[] samples(Raster raster, int band) {
        return raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), band, (int[]) null);
    }
}
