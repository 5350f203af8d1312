package dev.forger.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir
    Path root;

    private Path png(String relative, int w, int h, IntBinaryOperator rgbAt) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgbAt.applyAsInt(x, y));
            }
        }
        return write(relative, image, "png");
    }

    private Path write(String relative, BufferedImage image, String format) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
        return file;
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    private static int[] rgbAt(ImageSet set, int i, int y, int x) {
        return new int[] {set.pixel(i, 0, y, x), set.pixel(i, 1, y, x), set.pixel(i, 2, y, x)};
    }

    @Test
    void imagesOfTheTargetSizeAreReadExactlyInPathOrderWithDigitFolderLabels() throws IOException {
        png("3/b.png", 32, 32, (x, y) -> rgb(x * 8, y * 8, 200));
        png("3/a.png", 32, 32, (x, y) -> rgb(255 - x, y, x + y));
        png("cats/x.png", 32, 32, (x, y) -> rgb(7, 7, 7));
        png("1/z.png", 32, 32, (x, y) -> rgb(x, x, y));
        Files.writeString(root.resolve("README.txt"), "not an image");

        ImageSet set = ImageFolderDataset.read(root, 32, 0);

        assertThat(set.size()).isEqualTo(4);
        assertThat(set.channels()).isEqualTo(3);
        // "1/z.png" < "3/a.png" < "3/b.png" < "cats/x.png"
        assertThat(set.labels()).containsExactly(1, 3, 3, -1);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertThat(rgbAt(set, 0, y, x)).containsExactly(x, x, y);
                assertThat(rgbAt(set, 1, y, x)).containsExactly(255 - x, y, x + y);
                assertThat(rgbAt(set, 2, y, x)).containsExactly(x * 8, y * 8, 200);
                assertThat(rgbAt(set, 3, y, x)).containsExactly(7, 7, 7);
            }
        }
    }

    @Test
    void limitKeepsTheFirstFilesInPathOrder() throws IOException {
        png("b.png", 32, 32, (x, y) -> rgb(2, 2, 2));
        png("a.png", 32, 32, (x, y) -> rgb(1, 1, 1));
        png("c.png", 32, 32, (x, y) -> rgb(3, 3, 3));

        ImageSet set = ImageFolderDataset.read(root, 32, 2);

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.pixel(0, 0, 0, 0)).isEqualTo(1);
        assertThat(set.pixel(1, 0, 0, 0)).isEqualTo(2);
    }

    @Test
    void wideImagesAreCroppedInTheCentre() throws IOException {
        // 64x32: left half red, right half blue; the centre 32 columns are 16 red then 16 blue
        png("wide.png", 64, 32, (x, y) -> x < 32 ? rgb(255, 0, 0) : rgb(0, 0, 255));
        // 32x64: top half green, bottom half white; the centre 32 rows are 16 green then 16 white
        png("tall.png", 32, 64, (x, y) -> y < 32 ? rgb(0, 255, 0) : rgb(255, 255, 255));

        ImageSet set = ImageFolderDataset.read(root, 32, 0);

        // "tall.png" sorts before "wide.png"
        for (int a = 0; a < 32; a++) {
            for (int b = 0; b < 32; b++) {
                assertThat(rgbAt(set, 0, a, b)).containsExactly(a < 16 ? new int[] {0, 255, 0} : new int[] {255, 255, 255});
                assertThat(rgbAt(set, 1, a, b)).containsExactly(b < 16 ? new int[] {255, 0, 0} : new int[] {0, 0, 255});
            }
        }
    }

    @Test
    void shrinkingAveragesInsteadOfAliasing() throws IOException {
        // one-pixel black/white stripes: any point sampling gives black or white, averaging gives mid grey
        png("stripes.png", 128, 128, (x, y) -> x % 2 == 0 ? 0 : 0xFFFFFF);
        // 96x64 → 48x32, then crop: averaging 2x2 blocks of a smooth ramp keeps the ramp
        png("ramp.png", 96, 64, (x, y) -> rgb(x * 2, y * 2, 0));

        ImageSet set = ImageFolderDataset.read(root, 32, 0);

        ImageSet ramp = set.subset(new int[] {0});
        ImageSet stripes = set.subset(new int[] {1});
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(stripes.pixel(0, c, y, x)).isBetween(125, 130);
                }
                // output column x covers source columns 2(x+8) and 2(x+8)+1 → mean red 4(x+8)+1
                assertThat(ramp.pixel(0, 0, y, x)).isBetween(4 * (x + 8), 4 * (x + 8) + 2);
                assertThat(ramp.pixel(0, 1, y, x)).isBetween(4 * y, 4 * y + 2);
            }
        }
    }

    @Test
    void smallImagesAreEnlarged() throws IOException {
        png("small.png", 16, 16, (x, y) -> rgb(10, 200, 30));

        ImageSet set = ImageFolderDataset.read(root, 32, 0);

        assertThat(set.height()).isEqualTo(32);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertThat(rgbAt(set, 0, y, x)).containsExactly(10, 200, 30);
            }
        }
    }

    @Test
    void greyPalettedSixteenBitAndJpegImagesKeepTheirValues() throws IOException {
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(5, 6, 0, 100);
        write("a-grey.png", grey, "png");

        BufferedImage deep = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 65535);
        deep.getRaster().setSample(1, 0, 0, 32768); // 127.502 of 255 → rounds to 128
        write("b-deep.png", deep, "png");

        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {0, (byte) 250}, new byte[] {0, 20},
                new byte[] {0, 90});
        BufferedImage indexed = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(31, 31, 0, 1);
        write("c-indexed.png", indexed, "png");

        BufferedImage jpeg = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                jpeg.setRGB(x, y, rgb(180, 60, 120));
            }
        }
        write("d-photo.jpg", jpeg, "jpg");

        ImageSet set = ImageFolderDataset.read(root, 32, 0);

        // a grey PNG's stored values, not a gamma-converted brighter version of them
        assertThat(rgbAt(set, 0, 6, 5)).containsExactly(100, 100, 100);
        assertThat(rgbAt(set, 0, 0, 0)).containsExactly(0, 0, 0);
        assertThat(rgbAt(set, 1, 0, 0)).containsExactly(255, 255, 255);
        assertThat(rgbAt(set, 1, 0, 1)).containsExactly(128, 128, 128);
        assertThat(rgbAt(set, 2, 31, 31)).containsExactly(250, 20, 90);
        assertThat(rgbAt(set, 2, 0, 0)).containsExactly(0, 0, 0);
        int[] photo = rgbAt(set, 3, 16, 16);
        assertThat(photo[0]).isBetween(176, 184);
        assertThat(photo[1]).isBetween(56, 64);
        assertThat(photo[2]).isBetween(116, 124);
    }

    @Test
    void unreadableImagesFailTheLoadAndAreNamed() throws IOException {
        png("0/good.png", 32, 32, (x, y) -> 0);
        Files.createDirectories(root.resolve("1"));
        Files.writeString(root.resolve("1/broken.png"), "this is not a PNG");
        Files.write(root.resolve("empty.jpg"), new byte[0]);

        assertThatThrownBy(() -> ImageFolderDataset.read(root, 32, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(root.toString())
                .hasMessageContaining("2 of 3 images cannot be read")
                .hasMessageContaining("1/broken.png")
                .hasMessageContaining("empty.jpg");
    }

    @Test
    void missingEmptyAndNonDirectoryPathsAreReported() throws IOException {
        Path missing = root.resolve("missing");
        assertThatThrownBy(() -> ImageFolderDataset.read(missing, 32, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("not found");

        Path empty = Files.createDirectories(root.resolve("empty/sub"));
        Files.writeString(empty.resolve("notes.txt"), "no images here");
        assertThatThrownBy(() -> ImageFolderDataset.read(root.resolve("empty"), 32, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("holds no .png, .jpg or .jpeg files");

        Path file = png("one.png", 32, 32, (x, y) -> 0);
        assertThatThrownBy(() -> ImageFolderDataset.read(file, 32, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not a directory");
    }
}
