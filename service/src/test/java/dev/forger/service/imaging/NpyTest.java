package dev.forger.service.imaging;

import static dev.forger.service.imaging.ImageDecoderTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.NpyFiles;
import dev.forger.service.problem.ProblemType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyTest {
    static byte[] npy(String descr, String shape, byte[] data) {
        return NpyFiles.npy(descr, shape, data);
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    @Test
    void writtenFloatBatchesReadBackIdentically() {
        ImageBatch batch = TestImages.onPixelGrid(new ImageShape(3, 5, 7), 4, 9);
        byte[] bytes = NpyWriter.write(batch);
        int headerEnd = 10 + (ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
        assertThat(headerEnd % 64).as("numpy aligns the data to 64 bytes").isZero();
        assertThat(new String(bytes, 10, headerEnd - 10, StandardCharsets.ISO_8859_1))
                .contains("'shape': (4, 3, 5, 7)").endsWith("\n");
        ImageBatch read = NpyReader.read(bytes, 64);
        assertThat(read.shape()).isEqualTo(batch.shape());
        assertThat(read.count()).isEqualTo(4);
        assertThat(read.data()).containsExactly(batch.data());
    }

    @Test
    void uint8ImagesBecomeModelSpace() {
        byte[] pixels = {0, (byte) 255, 127, 10};
        ImageBatch read = NpyReader.read(npy("|u1", "(1, 2, 2)", pixels), 64);
        assertThat(read.shape()).isEqualTo(new ImageShape(1, 2, 2));
        assertThat(read.data()).containsExactly(-1f, 1f, Pixels.toModel(127), Pixels.toModel(10));
    }

    @Test
    void uint8ChannelsLastWithAlphaBecomeChannelsFirstOverBlack() {
        // one 1x2 RGBA image: opaque (10, 20, 30), then transparent white
        byte[] rgba = {10, 20, 30, (byte) 255, (byte) 255, (byte) 255, (byte) 255, 0};
        ImageBatch read = NpyReader.read(npy("|u1", "(1, 1, 2, 4)", rgba), 64);
        assertThat(read.shape()).isEqualTo(new ImageShape(3, 1, 2));
        assertThat(read.data()).containsExactly(Pixels.toModel(10), -1f, Pixels.toModel(20), -1f,
                Pixels.toModel(30), -1f);
    }

    @Test
    void bigEndianFloatsAreRead() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        b.putFloat(0.5f).putFloat(-0.25f);
        ImageBatch read = NpyReader.read(npy(">f4", "(1, 1, 1, 2)", b.array()), 64);
        assertThat(read.data()).containsExactly(0.5f, -0.25f);
    }

    @Test
    void defectsAreNamed() {
        assertProblem(() -> NpyReader.read("PK\3\4 not npy at all".getBytes(), 64),
                ProblemType.MALFORMED_NPY, "magic");
        assertProblem(() -> NpyReader.read(npy("<f8", "(1, 1, 1, 1)", new byte[8]), 64),
                ProblemType.MALFORMED_NPY, "'<f8'", "float32");
        assertProblem(() -> NpyReader.read(npy("<f4", "(1, 32, 32)", new byte[4096]), 64),
                ProblemType.MALFORMED_NPY, "[N, C, H, W]", "[1, 32, 32]");
        assertProblem(() -> NpyReader.read(npy("<f4", "(1, 1, 2, 2)", floats(0, 0, 0)), 64),
                ProblemType.MALFORMED_NPY, "16 data bytes", "12 follow", "truncated");
        assertProblem(() -> NpyReader.read(npy("<f4", "(1, one, 2, 2)", floats(0, 0, 0, 0)), 64),
                ProblemType.MALFORMED_NPY, "not a tuple of integers");
        byte[] fortran = npy("<f4", "(1, 1, 1, 1)", floats(0));
        String text = new String(fortran, StandardCharsets.ISO_8859_1).replace("False", "True ");
        assertProblem(() -> NpyReader.read(text.getBytes(StandardCharsets.ISO_8859_1), 64),
                ProblemType.MALFORMED_NPY, "Fortran order");
        byte[] shortHeader = Arrays.copyOf(npy("<f4", "(1, 1, 1, 1)", floats(0)), 30);
        assertProblem(() -> NpyReader.read(shortHeader, 64), ProblemType.MALFORMED_NPY, "header claims");
    }

    @Test
    void nonFiniteAndOutOfRangeValuesAreRefusedWithTheirPosition() {
        assertProblem(() -> NpyReader.read(npy("<f4", "(2, 1, 1, 2)", floats(0, 0, 0, Float.NaN)), 64),
                ProblemType.NON_FINITE_VALUE, "element 3", "image 1", "NaN");
        assertProblem(() -> NpyReader.read(npy("<f4", "(1, 1, 1, 2)", floats(Float.NEGATIVE_INFINITY, 0)), 64),
                ProblemType.NON_FINITE_VALUE, "-Infinity");
        assertProblem(() -> NpyReader.read(npy("<f4", "(1, 1, 1, 2)", floats(0, 2.5f)), 64),
                ProblemType.VALUE_OUT_OF_RANGE, "2.5", "[-1, 1]");
    }

    @Test
    void floatRoundingJustOutsideTheRangeIsClampedNotRefused() {
        // a generator's float32 tanh gives -1.0000001 now and then; the service's own npy must score
        ImageBatch read = NpyReader.read(npy("<f4", "(1, 1, 1, 2)", floats(-1.0000001f, 1.00005f)), 64);
        assertThat(read.data()).containsExactly(-1f, 1f);
    }

    @Test
    void tooManyImagesIsRefusedBeforeReadingThem() {
        assertProblem(() -> NpyReader.read(npy("|u1", "(65, 2, 2)", new byte[65 * 4]), 64),
                ProblemType.TOO_MANY_IMAGES, "65 images", "at most 64");
    }
}
