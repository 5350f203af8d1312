package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PngWritersTest {
    static List<PngWriter> writers() {
        return List.of(new FastPngWriter(), new ImageIoPngWriter());
    }

    private final ImageDecoder decoder = new ImageDecoder(4096);

    @ParameterizedTest
    @MethodSource("writers")
    void greyImagesSurviveEncodeAndDecodeBitForBit(PngWriter writer) {
        ImageBatch batch = TestImages.onPixelGrid(new ImageShape(1, 32, 32), 1, 1);
        byte[] png = writer.encode(Rasters.toImage(batch, 0));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        ImageBatch decoded = decoder.decode(png, "png");
        assertThat(decoded.shape()).isEqualTo(new ImageShape(1, 32, 32));
        assertThat(decoded.data()).containsExactly(batch.data());
    }

    @ParameterizedTest
    @MethodSource("writers")
    void greyImagesAreNotTaggedWithJavasLinearGreyProfile(PngWriter writer) {
        ImageBatch batch = TestImages.onPixelGrid(new ImageShape(1, 16, 16), 1, 1);
        List<String> chunks = chunkTypes(writer.encode(Rasters.toImage(batch, 0)));
        // an iCCP chunk here would be CS_GRAY's linear profile: viewers would show every grey too bright
        assertThat(chunks).doesNotContain("iCCP").startsWith("IHDR").endsWith("IEND").contains("IDAT");
        if (chunks.contains("sRGB")) {
            assertThat(chunks.indexOf("sRGB")).isLessThan(chunks.indexOf("IDAT"));
        }
    }

    @ParameterizedTest
    @MethodSource("writers")
    void colourImagesKeepTheirChannelOrder(PngWriter writer) {
        ImageBatch batch = TestImages.onPixelGrid(new ImageShape(3, 8, 12), 2, 2);
        byte[] png = writer.encode(Rasters.toImage(batch, 1));
        ImageBatch decoded = decoder.decode(png, "png");
        assertThat(decoded.shape()).isEqualTo(new ImageShape(3, 8, 12));
        assertThat(decoded.data()).containsExactly(batch.image(1));
    }

    /** The chunk types in file order, each chunk's CRC checked (a broken chunk fails the test). */
    static List<String> chunkTypes(byte[] png) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(png, 8, png.length - 8);
        List<String> types = new java.util.ArrayList<>();
        while (in.remaining() >= 12) {
            int length = in.getInt();
            byte[] typeAndData = new byte[4 + length];
            in.get(typeAndData);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(typeAndData);
            assertThat(in.getInt()).as("CRC of chunk %d", types.size()).isEqualTo((int) crc.getValue());
            types.add(new String(typeAndData, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertThat(in.remaining()).as("bytes after the last chunk").isZero();
        return types;
    }
}
