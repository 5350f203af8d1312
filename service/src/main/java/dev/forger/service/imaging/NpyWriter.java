package dev.forger.service.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes an {@link ImageBatch} as NumPy {@code .npy} version 1.0: little-endian float32 [N, C, H, W]. */
public final class NpyWriter {
    private NpyWriter() {}

    public static byte[] write(ImageBatch batch) {
        byte[] header = header(batch.count(), batch.shape());
        ByteBuffer out = ByteBuffer.allocate(header.length + 4 * batch.data().length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        out.asFloatBuffer().put(batch.data());
        return out.array();
    }

    /**
     * The magic, version, header length and header of a float32 [count, C, H, W] array: everything before
     * the data, so that a stream can state the full shape before its first image exists.
     */
    public static byte[] header(long count, ImageShape s) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + count + ", " + s.channels()
                + ", " + s.height() + ", " + s.width() + "), }";
        // magic (6) + version (2) + length (2) + header must be a multiple of 64, the header ending in \n
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        byte[] text = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) text.length);
        out.put(text);
        return out.array();
    }

    /** Bytes of a whole .npy file of {@code count} float32 images: its Content-Length. */
    public static long fileLength(long count, ImageShape shape) {
        return header(count, shape).length + 4L * count * shape.size();
    }
}
