package dev.forger.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes uncompressed MAT v5 files byte by byte. Hand-written because MFL always stores a double
 * array as 8-byte doubles, while MATLAB stores a double array of small integers (SVHN's y) with a
 * smaller element type, e.g. miUINT8: the tests need such files to prove the reader copes.
 */
final class RawMat5Writer {

    static final int MI_UINT8 = 2;
    static final int MI_INT32 = 5;
    static final int MI_UINT32 = 6;
    static final int MI_DOUBLE = 9;
    static final int MI_MATRIX = 14;
    static final int MX_DOUBLE_CLASS = 6;
    static final int MX_UINT8_CLASS = 9;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** Adds a real numeric variable of MATLAB class {@code mxClass} whose data is stored as {@code miType}. */
    RawMat5Writer variable(String name, int mxClass, int[] dims, int miType, byte[] data) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        element(m, MI_UINT32, le(8).putInt(mxClass).putInt(0).array());
        ByteBuffer d = le(4 * dims.length);
        Arrays.stream(dims).forEach(d::putInt);
        element(m, MI_INT32, d.array());
        element(m, 1 /* miINT8 */, name.getBytes(StandardCharsets.US_ASCII));
        element(m, miType, data);
        element(body, MI_MATRIX, m.toByteArray());
        return this;
    }

    void writeTo(Path file) throws IOException {
        byte[] text = Arrays.copyOf("MATLAB 5.0 MAT-file, written by RawMat5Writer".getBytes(StandardCharsets.US_ASCII), 116);
        for (int i = 0; i < text.length; i++) {
            if (text[i] == 0) {
                text[i] = ' ';
            }
        }
        ByteBuffer header = le(128).put(text).putLong(0).putShort((short) 0x0100).put((byte) 'I').put((byte) 'M');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array());
        out.write(body.toByteArray());
        Files.write(file, out.toByteArray());
    }

    /** A tagged data element padded to 8 bytes. */
    private static void element(ByteArrayOutputStream out, int type, byte[] data) {
        out.writeBytes(le(8).putInt(type).putInt(data.length).array());
        out.writeBytes(data);
        out.writeBytes(new byte[(8 - data.length % 8) % 8]);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
