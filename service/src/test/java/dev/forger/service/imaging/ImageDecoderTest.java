package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(1024);

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    static void assertProblem(ThrowingCallable call, ProblemType type, String... detailParts) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ClientProblem.class, p -> {
            assertThat(p.type()).isEqualTo(type);
            assertThat(p.detail()).contains(detailParts);
        });
    }

    @Test
    void greyWithAlphaIsCompositedOverBlack() throws IOException {
        // TYPE_INT_ARGB with grey colours: a colour PNG whose alpha must still be honoured
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF_C8C8C8); // opaque 200
        image.setRGB(1, 0, 0x80_C8C8C8); // half-transparent 200 -> about 100
        ImageBatch decoded = decoder.decode(encode(image, "png"), "body");
        assertThat(decoded.shape()).isEqualTo(new ImageShape(3, 1, 2));
        assertThat(Pixels.toPixel(decoded.data()[0])).isEqualTo(200);
        assertThat(Pixels.toPixel(decoded.data()[1])).isEqualTo(Math.round(200 * 128 / 255f));
    }

    @Test
    void sixteenBitGreyIsScaledToEightBits() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 65535);
        image.getRaster().setSample(1, 0, 0, 257 * 100);
        ImageBatch decoded = decoder.decode(encode(image, "png"), "body");
        assertThat(decoded.shape().channels()).isEqualTo(1);
        assertThat(Pixels.toPixel(decoded.data()[0])).isEqualTo(255);
        assertThat(Pixels.toPixel(decoded.data()[1])).isEqualTo(100);
    }

    @Test
    void jpegDecodesCloseToItsSource() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, 128);
            }
        }
        ImageBatch decoded = decoder.decode(encode(image, "jpeg"), "body");
        assertThat(decoded.shape()).isEqualTo(new ImageShape(1, 16, 16));
        assertThat(decoded.data()[100]).isCloseTo(Pixels.toModel(128), within(0.05f));
    }

    @Test
    void textIsNotAnImage() {
        assertProblem(() -> decoder.decode("hello, world".getBytes(), "image[1]"),
                ProblemType.NOT_AN_IMAGE, "image[1]", "not a PNG", "0x68656c6c6f2c2077");
    }

    @Test
    void emptyBodyIsMissing() {
        assertProblem(() -> decoder.decode(new byte[0], "body"), ProblemType.MISSING_BODY, "body is empty");
    }

    @Test
    void truncatedPngIsCorrupt() throws IOException {
        byte[] png = encode(Rasters.toImage(TestImages.onPixelGrid(new ImageShape(1, 32, 32), 1, 3), 0), "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        assertProblem(() -> decoder.decode(truncated, "body"), ProblemType.CORRUPT_IMAGE, "PNG", "corrupt");
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() throws IOException {
        byte[] png = encode(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png");
        byte[] bomb = withDeclaredSize(png, 100_000, 100_000);
        long start = System.nanoTime();
        assertProblem(() -> decoder.decode(bomb, "body"), ProblemType.IMAGE_TOO_LARGE,
                "100000x100000", "1024 per side");
        // refused from the header: no 10-gigapixel allocation was attempted
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    /** Rewrites the IHDR chunk's width and height and its CRC, as a malicious file would. */
    static byte[] withDeclaredSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy);
        assertThat(new String(copy, 12, 4)).isEqualTo("IHDR");
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return copy;
    }
}
