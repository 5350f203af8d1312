package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.problem.ClientProblem;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * What the fuzzers and the property tests check on every input, shared so that both hold the decoders to the same
 * rules: an upload either decodes or is refused with the documented {@link ClientProblem} (never another
 * exception); a decoded image is no larger than the limits allow; and whatever the PNG fast path accepts,
 * ImageIO decodes to the very same floats.
 */
public final class DecoderHarness {
    /** The service's default forger.limits.max-image-side is 4096; the fuzzers use a small one to reach the check. */
    public static final int MAX_SIDE = 256;
    public static final int MAX_IMAGES = 64;
    private static final ImageDecoder DECODER = new ImageDecoder(MAX_SIDE);

    private DecoderHarness() {}

    /** Any bytes through the decoder every image upload takes. */
    public static void decode(byte[] bytes) {
        try {
            ImageBatch image = DECODER.decode(bytes, "body");
            assertThat(image.shape().width()).isBetween(1, MAX_SIDE);
            assertThat(image.shape().height()).isBetween(1, MAX_SIDE);
        } catch (ClientProblem expected) {
            assertThat(expected.type().status()).isBetween(400, 499);
        }
    }

    /** A PNG's bytes: the fast path and ImageIO must agree on every one the fast path accepts. */
    public static void pngAgreesWithImageIo(byte[] png) {
        PngFastPath.Header header = PngFastPath.header(png);
        if (header == null || header.width() > MAX_SIDE || header.height() > MAX_SIDE || header.width() < 1
                || header.height() < 1) {
            decode(png);
            return;
        }
        ImageBatch fast;
        try {
            fast = PngFastPath.decode(png, header, "body");
        } catch (ClientProblem refused) {
            return; // refused as corrupt: ImageIO may be laxer (it ignores some CRCs), which is no disagreement
        }
        if (fast == null) {
            decode(png); // handed to ImageIO
            return;
        }
        ImageBatch reference;
        try {
            reference = DECODER.decodeWithImageIo(png, "body");
        } catch (ClientProblem e) {
            throw new AssertionError("the fast path decoded a PNG that ImageIO refuses: " + e.detail());
        }
        assertThat(fast.shape()).isEqualTo(reference.shape());
        assertThat(fast.data()).containsExactly(reference.data());
    }

    /** Any bytes as an .npy upload. */
    public static void npy(byte[] bytes) {
        try {
            ImageBatch batch = NpyReader.read(bytes, MAX_IMAGES);
            assertThat(batch.count()).isBetween(1, MAX_IMAGES);
            for (float value : batch.data()) {
                assertThat(value).isBetween(-1f, 1f);
            }
        } catch (ClientProblem expected) {
            assertThat(expected.type().status()).isBetween(400, 499);
        }
    }

    /**
     * Makes fuzzed bytes past the PNG signature look like chunks with correct CRCs, so that mutations reach the
     * decoder instead of dying at the first checksum. Bytes that do not start with the signature are left alone.
     */
    public static byte[] withValidCrcs(byte[] bytes) {
        byte[] png = bytes.clone();
        if (png.length < 8 || PngFastPath.header(png) == null && !startsWithSignature(png)) {
            return png;
        }
        int at = 8;
        while (at + 12 <= png.length) {
            long length = ByteBuffer.wrap(png, at, 4).getInt() & 0xffffffffL;
            if (length > png.length - at - 12) {
                break;
            }
            CRC32 crc = new CRC32();
            crc.update(png, at + 4, (int) length + 4);
            ByteBuffer.wrap(png, at + 8 + (int) length, 4).putInt((int) crc.getValue());
            at += 12 + (int) length;
        }
        return png;
    }

    private static boolean startsWithSignature(byte[] bytes) {
        return (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G';
    }

    /**
     * A PNG of {@code raw} as its decompressed image data (each row: a filter byte, then the row's bytes, all
     * as given, whatever their length), in IDAT chunks of {@code idatSize} bytes: what reaches the row filters.
     */
    public static byte[] pngOfRawRows(int width, int height, int colourType, byte[] raw, int idatSize) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(raw);
        deflater.finish();
        java.io.ByteArrayOutputStream zlib = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            zlib.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        byte[] data = zlib.toByteArray();
        int step = Math.max(1, idatSize);
        for (int from = 0; from < data.length; from += step) {
            chunk(out, "IDAT", java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + step)));
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
