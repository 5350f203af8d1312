package dev.forger.service.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes an {@link ImageBatch} as NumPy {@code .npy} version 1.0: little-endian float32 [N, C, H, W]. */
public final class NpyWriter {
    private NpyWriter() {}

    public static byte[] write(ImageBatch batch) {
        ImageShape s = batch.shape();
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + batch.count() + ", " + s.channels()
                + ", " + s.height() + ", " + s.width() + "), }";
        // magic (6) + version (2) + length (2) + header must be a multiple of 64, the header ending in \n
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + headerBytes.length + 4 * batch.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) headerBytes.length);
        out.put(headerBytes);
        out.asFloatBuffer().put(batch.data());
        return out.array();
    }
}
