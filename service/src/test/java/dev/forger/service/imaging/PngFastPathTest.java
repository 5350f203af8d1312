package dev.forger.service.imaging;

import static dev.forger.service.imaging.ImageDecoderTest.assertProblem;
import static dev.forger.service.imaging.ImageDecoderTest.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.problem.ProblemType;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written PNG path must give exactly what ImageIO's path gives, and refuse what is broken. */
class PngFastPathTest {
    private final ImageDecoder decoder = new ImageDecoder(1024);

    /** Every colour type and every row filter, on random and on smooth pixels, against ImageIO. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4, 6})
    void everyColourTypeAndFilterDecodesAsImageIoDecodesIt(int colourType) {
        SplittableRandom random = new SplittableRandom(colourType);
        int width = 13;
        int height = 10; // two rows of each filter 0..4
        int samples = switch (colourType) {
            case 0 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            default -> 4;
        };
        byte[] pixels = new byte[width * height * samples];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 7 == 0 ? random.nextInt(256) : (i * 3) & 0xff);
        }
        int[] filters = {0, 1, 2, 3, 4, 4, 3, 2, 1, 0};
        byte[] png = Png.write(width, height, colourType, pixels, filters, 3);
        ImageBatch fast = PngFastPath.decode(png, PngFastPath.header(png), "body");
        ImageBatch reference = decoder.decodeWithImageIo(png, "body");
        assertThat(fast).as("decoded by the fast path").isNotNull();
        assertThat(fast.shape()).isEqualTo(reference.shape());
        assertThat(fast.data()).containsExactly(reference.data());
    }

    @Test
    void imageIoWrittenPngsOfEachJavaTypeMatch() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB}) {
            BufferedImage image = new BufferedImage(32, 32, type);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    image.setRGB(x, y, random.nextInt());
                }
            }
            byte[] png = encode(image, "png");
            assertThat(decoder.decode(png, "body").data()).as("type %d", type)
                    .containsExactly(decoder.decodeWithImageIo(png, "body").data());
        }
        BufferedImage greyAlpha = greyAlpha(9, 4, random);
        byte[] png = encode(greyAlpha, "png");
        assertThat(png[25]).as("colour type grey+alpha").isEqualTo((byte) 4);
        assertThat(decoder.decode(png, "body").data()).containsExactly(decoder.decodeWithImageIo(png, "body").data());
    }

    @Test
    void theServicesOwnGreyPngsTaggedSrgbTakeTheFastPath() {
        ImageBatch digit = TestImages.onPixelGrid(new ImageShape(1, 32, 32), 1, 9);
        byte[] png = new FastPngWriter().encode(Rasters.toImage(digit, 0));
        assertThat(new String(png, 37, 4, StandardCharsets.US_ASCII)).as("the colour tag follows IHDR")
                .isEqualTo("sRGB");
        ImageBatch fast = PngFastPath.decode(png, PngFastPath.header(png), "body");
        assertThat(fast).isNotNull();
        assertThat(fast.data()).containsExactly(digit.data()).containsExactly(decoder.decodeWithImageIo(png, "body").data());
    }

    @Test
    void theDataMaySpanManyIdatChunks() {
        byte[] pixels = new byte[20 * 20];
        Arrays.fill(pixels, (byte) 77);
        byte[] png = Png.write(20, 20, 0, pixels, new int[20], 7); // 7-byte IDATs
        ImageBatch decoded = decoder.decode(png, "body");
        assertThat(decoded.data()).containsOnly(Pixels.toModel(77));
    }

    @Test
    void formatsLeftToImageIoStillDecode() throws IOException {
        BufferedImage sixteen = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        sixteen.getRaster().setSample(1, 1, 0, 65535);
        byte[] png = encode(sixteen, "png");
        assertThat(PngFastPath.decode(png, PngFastPath.header(png), "body")).isNull();
        assertThat(Pixels.toPixel(decoder.decode(png, "body").data()[4])).isEqualTo(255);

        BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        palette.setRGB(2, 2, 0xffffff);
        byte[] indexed = encode(palette, "png");
        assertThat(PngFastPath.decode(indexed, PngFastPath.header(indexed), "body")).isNull();
        assertThat(decoder.decode(indexed, "body").shape().channels()).isEqualTo(3);
    }

    @Test
    void aBadChecksumATruncationAndAnUnknownFilterAreCorrupt() {
        byte[] pixels = new byte[8 * 8];
        byte[] png = Png.write(8, 8, 0, pixels, new int[8], 1000);
        byte[] badCrc = png.clone();
        badCrc[42] ^= 1; // inside the IDAT data (its length and type are bytes 33..40)
        assertProblem(() -> decoder.decode(badCrc, "image[2]"), ProblemType.CORRUPT_IMAGE, "image[2]",
                "IDAT", "CRC");

        byte[] noData = Png.write(8, 8, 0, pixels, new int[8], 1000);
        byte[] truncated = Arrays.copyOf(noData, 45);
        assertProblem(() -> decoder.decode(truncated, "body"), ProblemType.CORRUPT_IMAGE, "body", "truncated");

        int[] filters = new int[8];
        filters[3] = 9;
        assertProblem(() -> decoder.decode(Png.write(8, 8, 0, pixels, filters, 1000), "body"),
                ProblemType.CORRUPT_IMAGE, "row 3 has filter type 9");
    }

    /**
     * Found by DecoderPropertiesTest (bytes flipped in the image data, chunk CRCs repaired): the fast path had
     * stopped inflating once it held the image's bytes, so damage later in the zlib stream, or a wrong Adler-32,
     * went unseen while ImageIO refused the file. Both inputs are kept in PngFuzzTestInputs/, which the fuzzer
     * also replays.
     */
    @ParameterizedTest
    @ValueSource(strings = {"zlib-distance-too-far-back-after-the-last-row.png", "zlib-checksum-mismatch.png"})
    void aZlibStreamDamagedAfterTheLastRowIsCorruptAsImageIoSays(String name) throws IOException {
        byte[] png;
        try (var in = PngFastPathTest.class.getResourceAsStream("PngFuzzTestInputs/" + name)) {
            png = in.readAllBytes();
        }
        assertProblem(() -> PngFastPath.decode(png, PngFastPath.header(png), "body"), ProblemType.CORRUPT_IMAGE,
                "zlib stream is malformed");
        assertProblem(() -> decoder.decode(png, "body"), ProblemType.CORRUPT_IMAGE, "corrupt");
    }

    @Test
    void theDeclaredSizeIsCheckedBeforeAnyDataIsRead() {
        byte[] header = Arrays.copyOf(Png.write(1, 1, 0, new byte[1], new int[1], 1000), 33);
        ByteBuffer.wrap(header).putInt(16, 50_000).putInt(20, 50_000); // IHDR width, height (CRC now wrong)
        assertThat(ImageDecoder.declaredPngPixels(header)).isEqualTo(2_500_000_000L);
        assertProblem(() -> decoder.decode(header, "body"), ProblemType.IMAGE_TOO_LARGE, "50000x50000",
                "limit is 1024");
        assertThat(ImageDecoder.declaredPngPixels("GIF89a not a png at all, no".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
    }

    private static BufferedImage greyAlpha(int width, int height, SplittableRandom random) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, random.nextInt(256));
                raster.setSample(x, y, 1, random.nextInt(256));
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    /** A minimal PNG writer with a chosen filter per row and IDAT chunk size, to reach every decoder branch. */
    static final class Png {
        private Png() {}

        static byte[] write(int width, int height, int colourType, byte[] pixels, int[] filters, int idatSize) {
            int bpp = switch (colourType) {
                case 0 -> 1;
                case 4 -> 2;
                case 2 -> 3;
                default -> 4;
            };
            int stride = width * bpp;
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            for (int y = 0; y < height; y++) {
                raw.write(filters[y]);
                for (int i = 0; i < stride; i++) {
                    int x = pixels[y * stride + i] & 0xff;
                    int a = i >= bpp ? pixels[y * stride + i - bpp] & 0xff : 0;
                    int b = y > 0 ? pixels[(y - 1) * stride + i] & 0xff : 0;
                    int c = i >= bpp && y > 0 ? pixels[(y - 1) * stride + i - bpp] & 0xff : 0;
                    int predicted = switch (filters[y]) {
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> (a + b) / 2;
                        case 4 -> paeth(a, b, c);
                        default -> 0;
                    };
                    raw.write((x - predicted) & 0xff);
                }
            }
            Deflater deflater = new Deflater();
            deflater.setInput(raw.toByteArray());
            deflater.finish();
            ByteArrayOutputStream zlib = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                zlib.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                    .put((byte) 8).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
            byte[] data = zlib.toByteArray();
            for (int from = 0; from < data.length; from += idatSize) {
                chunk(out, "IDAT", Arrays.copyOfRange(data, from, Math.min(data.length, from + idatSize)));
            }
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        }

        private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
            byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(typeBytes);
            crc.update(data);
            out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
            out.writeBytes(typeBytes);
            out.writeBytes(data);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }

        private static int paeth(int a, int b, int c) {
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
