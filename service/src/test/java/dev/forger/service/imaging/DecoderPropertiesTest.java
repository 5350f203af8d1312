package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the decoders that read untrusted bytes, each over a few hundred inputs drawn from seeds that
 * are the same in every run (a failure names its seed):
 * well-formed PNGs of every colour type, filter and chunking decode on the fast path exactly as ImageIO decodes
 * them; damaged ones (bytes flipped with the CRCs repaired, or cut short) decode identically or are refused as a
 * client problem; .npy headers and data of every kind are read or refused as a client problem. Each input must
 * finish within 10 s: a hang is a failure, not a slow test.
 */
public class DecoderPropertiesTest {
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final int[] COLOUR_TYPES = {0, 2, 4, 6};

    /** Runs {@code property} for {@code tries} seeds drawn from one fixed seed, naming the seed of a failure. */
    public static void forSeeds(int tries, LongConsumer property) {
        SplittableRandom seeds = new SplittableRandom(18);
        for (int i = 0; i < tries; i++) {
            long seed = seeds.nextLong();
            try {
                property.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("fails for seed " + seed + " (try " + i + "): " + e.getMessage(), e);
            }
        }
    }

    @Test
    void wellFormedPngsDecodeOnTheFastPathAsImageIoDecodesThem() {
        forSeeds(300, seed -> {
            byte[] png = randomPng(new SplittableRandom(seed));
            PngFastPath.Header header = PngFastPath.header(png);
            assertThat(header).isNotNull();
            assertThat(PngFastPath.decode(png, header, "body")).as("taken by the fast path").isNotNull();
            assertTimeoutPreemptively(HANG, () -> DecoderHarness.pngAgreesWithImageIo(png));
        });
    }

    @Test
    void damagedPngsDecodeIdenticallyOrAreRefused() {
        forSeeds(400, DecoderPropertiesTest::damagedPng);
    }

    private static void damagedPng(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] png = randomPng(random);
        int flips = 1 + random.nextInt(12);
        for (int i = 0; i < flips; i++) {
            int at = 8 + random.nextInt(png.length - 8);
            png[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : png[at] ^ (1 << random.nextInt(8)));
        }
        byte[] damaged = random.nextBoolean() ? DecoderHarness.withValidCrcs(png) : png;
        assertTimeoutPreemptively(HANG, () -> DecoderHarness.pngAgreesWithImageIo(damaged));
    }

    @Test
    void truncatedPngsAreRefused() {
        forSeeds(200, seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] png = randomPng(random);
            byte[] cut = Arrays.copyOf(png, random.nextInt(png.length - 12)); // IEND (12 bytes) at least is lost
            assertTimeoutPreemptively(HANG, () -> DecoderHarness.decode(cut));
        });
    }

    @Test
    void anyNpyHeaderAndDataIsReadOrRefused() {
        forSeeds(400, seed -> {
            byte[] npy = randomNpy(new SplittableRandom(seed));
            assertTimeoutPreemptively(HANG, () -> DecoderHarness.npy(npy));
        });
    }

    /** A PNG of 1-40 × 1-40 pixels, any colour type, a random filter per row and random IDAT chunking. */
    public static byte[] randomPng(SplittableRandom random) {
        int width = 1 + random.nextInt(40);
        int height = 1 + random.nextInt(40);
        int colourType = COLOUR_TYPES[random.nextInt(4)];
        int bpp = switch (colourType) {
            case 0 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            default -> 4;
        };
        int stride = width * bpp;
        byte[] pixels = new byte[stride * height];
        boolean smooth = random.nextBoolean(); // smooth images exercise the predictors, noisy ones the wrap-around
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (smooth ? (i * 7 + (i / stride) * 3) & 0xff : random.nextInt(256));
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            int filter = random.nextInt(5);
            raw.write(filter);
            for (int i = 0; i < stride; i++) {
                int x = pixels[y * stride + i] & 0xff;
                int a = i >= bpp ? pixels[y * stride + i - bpp] & 0xff : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] & 0xff : 0;
                int c = i >= bpp && y > 0 ? pixels[(y - 1) * stride + i - bpp] & 0xff : 0;
                int predicted = switch (filter) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) / 2;
                    case 4 -> paeth(a, b, c);
                    default -> 0;
                };
                raw.write((x - predicted) & 0xff);
            }
        }
        return DecoderHarness.pngOfRawRows(width, height, colourType, raw.toByteArray(), 1 + random.nextInt(600));
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static final List<String> DESCRS = List.of("<f4", "|u1", ">f4", "=f4", "<f8", "<i4", "|b1", "<U3", "", "f4",
            "'<f4'");
    private static final List<String> DIMENSIONS = List.of("0", "1", "2", "3", "4", "32", "28", "64", "65", "-1",
            "4096", "99999999999", "2147483648", "1.5", "x", "");

    /** An .npy file whose every part may be right or wrong: magic, version, header length, dict and data size. */
    public static byte[] randomNpy(SplittableRandom random) {
        StringBuilder shape = new StringBuilder("(");
        int rank = random.nextInt(6);
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            String dimension = random.nextInt(3) == 0 ? DIMENSIONS.get(random.nextInt(DIMENSIONS.size()))
                    : List.of("1", "2", "32", "3", "28").get(random.nextInt(5));
            elements = dimension.matches("\\d{1,5}") ? elements * Long.parseLong(dimension) : -1;
            shape.append(dimension).append(i == 0 || random.nextBoolean() ? ", " : ",");
        }
        shape.append(")");
        String descr = DESCRS.get(random.nextInt(DESCRS.size()));
        long exact = elements < 0 ? -1 : elements * (descr.contains("u1") ? 1 : 4);
        String header = "{'descr': '" + descr + "', 'fortran_order': "
                + (random.nextInt(8) == 0 ? "True" : "False") + ", 'shape': " + shape + ", }";
        if (random.nextInt(10) == 0) {
            header = header.substring(0, random.nextInt(header.length() + 1)); // a broken dict
        }
        int major = random.nextInt(10) == 0 ? random.nextInt(256) : 1 + random.nextInt(3);
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int declared = random.nextInt(10) == 0 ? random.nextInt() : text.length;
        ByteBuffer out = ByteBuffer.allocate(8 + lengthBytes + text.length + 4 * 4 * 3 * 32 * 32)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
        if (random.nextInt(20) == 0) {
            out.put(out.position() - 1, (byte) 'X');
        }
        out.put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            out.putShort((short) declared);
        } else {
            out.putInt(declared);
        }
        out.put(text);
        int data = exact >= 0 && exact <= out.remaining() && random.nextInt(4) != 0 ? (int) exact
                : random.nextInt(Math.min(out.remaining(), 4 * 3 * 32 * 32 + 16));
        for (int i = 0; i < data; i++) {
            boolean floats = random.nextBoolean();
            out.put((byte) (floats && i % 4 == 3 ? random.nextInt(0x3f, 0x41) : random.nextInt(256)));
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
