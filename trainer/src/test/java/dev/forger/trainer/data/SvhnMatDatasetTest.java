package dev.forger.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

class SvhnMatDatasetTest {

    private static final int N = 5;

    @TempDir
    Path dir;

    /** A different value for every (row, col, channel, image) position that matters: swapped axes show. */
    private static int value(int row, int col, int channel, int n) {
        return (row * 7 + col * 3 + channel * 61 + n * 17) % 256;
    }

    /** SVHN's labels 1..10 with 10 meaning 0: image n has label (n % 10) + 1 here, so image 9 is a "0". */
    private static int svhnLabel(int n) {
        return n % 10 + 1;
    }

    private static Matrix images(int n) {
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, n}, MatlabType.UInt8);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        // MFL's multi-index is MATLAB's X(row, col, channel, n)
                        x.setByte(new int[] {row, col, c, i}, (byte) value(row, col, c, i));
                    }
                }
            }
        }
        return x;
    }

    private static Matrix labels(int n) {
        Matrix y = Mat5.newMatrix(n, 1);
        for (int i = 0; i < n; i++) {
            y.setDouble(i, svhnLabel(i));
        }
        return y;
    }

    private Path write(String name, MatFile mat, boolean compressed) throws IOException {
        Path file = dir.resolve(name);
        try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
            Mat5.newWriter(sink).setDeflateLevel(compressed ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION).writeMat(mat);
        }
        return file;
    }

    private Path svhnFile(String name, int n, boolean compressed) throws IOException {
        return write(name, Mat5.newMatFile().addArray("X", images(n)).addArray("y", labels(n)), compressed);
    }

    /** The MAT v5 data type of the first element after the 128-byte header: 15 compressed, 14 plain matrix. */
    private static int firstElementType(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return ByteBuffer.wrap(bytes, 128, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static void assertMatchesPattern(ImageSet set, int n) {
        assertThat(set.size()).isEqualTo(n);
        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(32);
        assertThat(set.width()).isEqualTo(32);
        for (int i = 0; i < n; i++) {
            assertThat(set.labels()[i]).isEqualTo(svhnLabel(i) % 10);
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        if (set.pixel(i, c, row, col) != value(row, col, c, i)) {
                            throw new AssertionError("image " + i + " channel " + c + " row " + row + " col " + col
                                    + ": " + set.pixel(i, c, row, col) + " != " + value(row, col, c, i));
                        }
                    }
                }
            }
        }
    }

    @Test
    void readsUncompressedFileInRowColumnChannelOrder() throws IOException {
        Path file = svhnFile("train_32x32.mat", N, false);
        assertThat(firstElementType(file)).isEqualTo(14);

        assertMatchesPattern(SvhnMatDataset.read(file, 0), N);
    }

    @Test
    void readsCompressedFile() throws IOException {
        Path file = svhnFile("test_32x32.mat", N, true);
        assertThat(firstElementType(file)).isEqualTo(15);

        assertMatchesPattern(SvhnMatDataset.read(file, 0), N);
    }

    @Test
    void labelTenIsDigitZero() throws IOException {
        Path file = svhnFile("ten.mat", 12, true);
        ImageSet set = SvhnMatDataset.read(file, 0);
        assertThat(set.labels()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2);
        assertThat(set.hasLabels()).isTrue();
    }

    @Test
    void limitKeepsTheFirstImages() throws IOException {
        Path file = svhnFile("limit.mat", 12, false);
        ImageSet set = SvhnMatDataset.read(file, 3);
        assertMatchesPattern(set, 3);
    }

    @Test
    void readsDoubleLabelsThatMatlabStoredAsUint8() throws IOException {
        int n = 11;
        Matrix x = images(n);
        byte[] xData = new byte[32 * 32 * 3 * n];
        for (int i = 0; i < xData.length; i++) {
            xData[i] = x.getByte(i);
        }
        byte[] yData = new byte[n];
        for (int i = 0; i < n; i++) {
            yData[i] = (byte) svhnLabel(i);
        }
        Path file = dir.resolve("matlab_style.mat");
        new RawMat5Writer()
                .variable("X", RawMat5Writer.MX_UINT8_CLASS, new int[] {32, 32, 3, n}, RawMat5Writer.MI_UINT8, xData)
                .variable("y", RawMat5Writer.MX_DOUBLE_CLASS, new int[] {n, 1}, RawMat5Writer.MI_UINT8, yData)
                .writeTo(file);

        ImageSet set = SvhnMatDataset.read(file, 0);

        assertMatchesPattern(set, n);
        assertThat(set.labels()[9]).isZero();
    }

    @Test
    void singleImageFileWithoutTrailingDimensionIsRead() throws IOException {
        // MATLAB drops trailing singleton dimensions: one image is [32, 32, 3]
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3}, MatlabType.UInt8);
        x.setByte(new int[] {1, 2, 0}, (byte) 200);
        Path file = write("one.mat", Mat5.newMatFile().addArray("X", x).addArray("y", labels(1)), false);

        ImageSet set = SvhnMatDataset.read(file, 0);

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.pixel(0, 0, 1, 2)).isEqualTo(200);
        assertThat(set.pixel(0, 0, 2, 1)).isZero();
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("train_32x32.mat");
        assertThatThrownBy(() -> SvhnMatDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not found");
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        for (boolean compressed : new boolean[] {false, true}) {
            Path full = svhnFile("full" + compressed + ".mat", N, compressed);
            byte[] bytes = Files.readAllBytes(full);
            Path cut = dir.resolve("cut" + compressed + ".mat");
            Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

            assertThatThrownBy(() -> SvhnMatDataset.read(cut, 0))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining(cut.toString())
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void textFileIsNotAMatFile() throws IOException {
        Path file = dir.resolve("notes.mat");
        Files.writeString(file, "hello, this is not MATLAB data at all. ".repeat(10));
        assertThatThrownBy(() -> SvhnMatDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a MATLAB v5 MAT file");
    }

    @Test
    void missingVariablesAreNamed() throws IOException {
        Path noX = write("nox.mat", Mat5.newMatFile().addArray("images", images(2)).addArray("y", labels(2)), false);
        assertThatThrownBy(() -> SvhnMatDataset.read(noX, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(noX.toString())
                .hasMessageContaining("no variable 'X'")
                .hasMessageContaining("images");

        Path noY = write("noy.mat", Mat5.newMatFile().addArray("X", images(2)), true);
        assertThatThrownBy(() -> SvhnMatDataset.read(noY, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no variable 'y'");
    }

    @Test
    void wronglyTypedVariablesAreReported() throws IOException {
        Matrix doubleX = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.Double);
        Path badX = write("dx.mat", Mat5.newMatFile().addArray("X", doubleX).addArray("y", labels(2)), false);
        assertThatThrownBy(() -> SvhnMatDataset.read(badX, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("variable X is of type double")
                .hasMessageContaining("uint8");

        Path charY = write("cy.mat", Mat5.newMatFile().addArray("X", images(2)).addArray("y", Mat5.newString("12")), false);
        assertThatThrownBy(() -> SvhnMatDataset.read(charY, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("variable y is of type char");
    }

    @Test
    void wrongImageDimensionsAreReported() throws IOException {
        Matrix greyX = Mat5.newMatrix(new int[] {32, 32, 1, 2}, MatlabType.UInt8);
        Path file = write("grey.mat", Mat5.newMatFile().addArray("X", greyX).addArray("y", labels(2)), false);
        assertThatThrownBy(() -> SvhnMatDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("dimensions [32, 32, 1, 2]");

        Matrix flat = Mat5.newMatrix(new int[] {3072, 2}, MatlabType.UInt8);
        Path flatFile = write("flat.mat", Mat5.newMatFile().addArray("X", flat).addArray("y", labels(2)), false);
        assertThatThrownBy(() -> SvhnMatDataset.read(flatFile, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("dimensions [3072, 2]");
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path file = write("mismatch.mat", Mat5.newMatFile().addArray("X", images(3)).addArray("y", labels(4)), true);
        assertThatThrownBy(() -> SvhnMatDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("X holds 3 images but y holds 4 labels");
    }

    @Test
    void labelsOutsideOneToTenAreReported() throws IOException {
        Matrix y = labels(3);
        y.setDouble(2, 11);
        Path file = write("eleven.mat", Mat5.newMatFile().addArray("X", images(3)).addArray("y", y), false);
        assertThatThrownBy(() -> SvhnMatDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("y(3) = 11.0");
    }
}
