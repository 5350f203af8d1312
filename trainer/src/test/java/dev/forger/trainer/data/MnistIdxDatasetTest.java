package dev.forger.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxDatasetTest {

    @TempDir
    Path dir;

    /** A distinct value per (image, row, col) position: wrong row/column order shows. */
    private static int value(int image, int row, int col) {
        return (image * 37 + row * 9 + col) % 256;
    }

    private static byte[] imagesIdx(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    b.put((byte) value(i, r, c));
                }
            }
        }
        return b.array();
    }

    private static byte[] labelsIdx(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) ((i * 3) % 10));
        }
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), data);
    }

    private static void assertPaddedPattern(ImageSet set, int n) {
        assertThat(set.size()).isEqualTo(n);
        assertThat(set.channels()).isEqualTo(1);
        assertThat(set.height()).isEqualTo(32);
        assertThat(set.width()).isEqualTo(32);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean border = y < 2 || y >= 30 || x < 2 || x >= 30;
                    int expected = border ? 0 : value(i, y - 2, x - 2);
                    if (set.pixel(i, 0, y, x) != expected) {
                        throw new AssertionError("image " + i + " at " + y + "," + x + ": " + set.pixel(i, 0, y, x)
                                + " != " + expected);
                    }
                }
            }
        }
    }

    @Test
    void readsPlainImagesAndLabels() throws IOException {
        Path images = file("train-images-idx3-ubyte", imagesIdx(6, 28, 28));
        file("train-labels-idx1-ubyte", labelsIdx(6));

        ImageSet set = MnistIdxDataset.read(images, 0);

        assertPaddedPattern(set, 6);
        assertThat(set.labels()).containsExactly(0, 3, 6, 9, 2, 5);
    }

    @Test
    void readsGzippedFilesFromADirectoryPreferringTheTrainingSplit() throws IOException {
        file("t10k-images-idx3-ubyte.gz", gzip(imagesIdx(2, 28, 28)));
        file("t10k-labels-idx1-ubyte.gz", gzip(labelsIdx(2)));
        file("train-images-idx3-ubyte.gz", gzip(imagesIdx(7, 28, 28)));
        file("train-labels-idx1-ubyte.gz", gzip(labelsIdx(7)));

        assertThat(MnistIdxDataset.recognises(dir)).isTrue();
        ImageSet set = MnistIdxDataset.read(dir, 0);

        assertPaddedPattern(set, 7);
        assertThat(set.labels()).containsExactly(0, 3, 6, 9, 2, 5, 8);
        assertThat(set.source()).contains("train-images");
    }

    @Test
    void gzippedImagesFindPlainLabelsAndViceVersa() throws IOException {
        Path images = file("train-images-idx3-ubyte.gz", gzip(imagesIdx(3, 28, 28)));
        file("train-labels-idx1-ubyte", labelsIdx(3));

        assertThat(MnistIdxDataset.read(images, 0).labels()).containsExactly(0, 3, 6);
    }

    @Test
    void withoutLabelsFileLabelsAreUnknown() throws IOException {
        Path images = file("train-images-idx3-ubyte", imagesIdx(3, 28, 28));

        ImageSet set = MnistIdxDataset.read(images, 0);

        assertThat(set.labels()).containsExactly(-1, -1, -1);
        assertThat(set.hasLabels()).isFalse();
    }

    @Test
    void limitReadsOnlyTheFirstImages() throws IOException {
        Path images = file("train-images-idx3-ubyte", imagesIdx(9, 28, 28));
        file("train-labels-idx1-ubyte", labelsIdx(9));

        ImageSet set = MnistIdxDataset.read(images, 4);

        assertPaddedPattern(set, 4);
        assertThat(set.labels()).containsExactly(0, 3, 6, 9);
    }

    @Test
    void badMagicNumbersAreReported() throws IOException {
        Path labelsAsImages = file("train-images-idx3-ubyte", labelsIdx(3));
        assertThatThrownBy(() -> MnistIdxDataset.read(labelsAsImages, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(labelsAsImages.toString())
                .hasMessageContaining("bad magic number 0x00000801, expected 0x00000803");

        Path images = file("a-images-idx3-ubyte", imagesIdx(3, 28, 28));
        Path labels = file("a-labels-idx1-ubyte", imagesIdx(3, 28, 28));
        assertThatThrownBy(() -> MnistIdxDataset.read(images, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("bad magic number 0x00000803, expected 0x00000801");
    }

    @Test
    void truncatedFilesAreReported() throws IOException {
        byte[] full = imagesIdx(4, 28, 28);
        Path cut = file("train-images-idx3-ubyte", Arrays.copyOf(full, full.length - 100));
        assertThatThrownBy(() -> MnistIdxDataset.read(cut, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("3036 of 3136 bytes");

        Path header = file("h-images-idx3-ubyte", Arrays.copyOf(full, 10));
        assertThatThrownBy(() -> MnistIdxDataset.read(header, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("ends inside the header");

        byte[] gz = gzip(full);
        Path cutGz = file("g-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> MnistIdxDataset.read(cutGz, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(cutGz.toString())
                .hasMessageContaining("truncated");

        Path images = file("l-images-idx3-ubyte", full);
        byte[] labels = labelsIdx(4);
        file("l-labels-idx1-ubyte", Arrays.copyOf(labels, labels.length - 2));
        assertThatThrownBy(() -> MnistIdxDataset.read(images, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("l-labels-idx1-ubyte")
                .hasMessageContaining("truncated: 2 of 4 label bytes");
    }

    @Test
    void mismatchedPairsAndBadLabelsAreReported() throws IOException {
        Path images = file("m-images-idx3-ubyte", imagesIdx(4, 28, 28));
        file("m-labels-idx1-ubyte", labelsIdx(5));
        assertThatThrownBy(() -> MnistIdxDataset.read(images, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("holds 5 labels but its images file holds 4 images");

        Path images2 = file("b-images-idx3-ubyte", imagesIdx(2, 28, 28));
        byte[] labels = labelsIdx(2);
        labels[9] = 12;
        file("b-labels-idx1-ubyte", labels);
        assertThatThrownBy(() -> MnistIdxDataset.read(images2, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("label 1 is 12");
    }

    @Test
    void missingAndEmptyLocationsAreReported() throws IOException {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> MnistIdxDataset.read(missing, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("not found");

        assertThat(MnistIdxDataset.recognises(dir)).isFalse();
        assertThatThrownBy(() -> MnistIdxDataset.read(dir, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no *-images-idx3-ubyte");
    }
}
