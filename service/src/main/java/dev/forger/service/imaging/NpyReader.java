package dev.forger.service.imaging;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} uploads (format versions 1-3): float32 [N,C,H,W] in [-1, 1], or uint8
 * [N,H,W] / [N,H,W,C] pixels (C = 1, 3 or 4; alpha is composited over black).
 *
 * <p>Hand-written: the format is a magic string, a Python-literal header and raw data, and the
 * Java npy libraries on Maven Central are either unmaintained or pull in the Kotlin runtime.
 * Every defect is reported with what was found and what is expected.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final String FIELD = "body";
    /** tanh in float32 can land a few ulps outside [-1, 1]; such values are clamped, not refused. */
    private static final float RANGE_TOLERANCE = 1e-4f;

    private NpyReader() {}

    /**
     * @param maxImages the most images (N) accepted, checked before the data is read
     * @return the images in their own shape, in model space
     */
    public static ImageBatch read(byte[] bytes, int maxImages) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        String header = header(buffer);
        String descr = find(DESCR, header, "descr");
        if (find(FORTRAN, header, "fortran_order").equals("True")) {
            throw malformed("the array is in Fortran order; save it C-contiguous"
                    + " (np.save(f, np.ascontiguousarray(a)))");
        }
        long[] shape = parseShape(find(SHAPE, header, "shape"));
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String kind = descr.replaceFirst("^[<>|=]", "");
        if (kind.equals("f4")) {
            return readFloats(buffer.order(order), shape, maxImages);
        }
        if (kind.equals("u1")) {
            return readBytes(buffer, shape, maxImages);
        }
        throw malformed("dtype '" + descr + "' is not accepted; send float32 ('<f4', values in [-1, 1])"
                + " or uint8 ('|u1', pixels 0-255)");
    }

    private static String header(ByteBuffer buffer) {
        if (buffer.remaining() < 10) {
            throw malformed("too short to be .npy data (" + buffer.remaining() + " bytes)");
        }
        for (byte b : MAGIC) {
            if (buffer.get() != b) {
                throw malformed("it does not start with the .npy magic \\x93NUMPY; write it with numpy.save");
            }
        }
        int major = buffer.get() & 0xff;
        buffer.get(); // minor version: no version so far changed the layout within a major
        long headerLength;
        if (major == 1) {
            headerLength = buffer.getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            if (buffer.remaining() < 4) {
                throw malformed("truncated header");
            }
            headerLength = buffer.getInt() & 0xffffffffL;
        } else {
            throw malformed("format version " + major + " is unknown (1, 2 and 3 are read)");
        }
        if (headerLength > buffer.remaining()) {
            throw malformed("the header claims " + headerLength + " bytes but only " + buffer.remaining()
                    + " follow");
        }
        byte[] text = new byte[(int) headerLength];
        buffer.get(text);
        return new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static String find(Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw malformed("the header has no readable '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(p.replaceFirst("L$", "")));
            } catch (NumberFormatException e) {
                throw malformed("shape (" + text + ") is not a tuple of integers");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static ImageBatch readFloats(ByteBuffer buffer, long[] shape, int maxImages) {
        if (shape.length != 4) {
            throw malformed("float32 data must have shape [N, C, H, W], got " + shapeText(shape));
        }
        ImageShape image = imageShape(shape[1], shape[2], shape[3], shape);
        int n = count(shape[0], maxImages);
        long floats = (long) n * image.size();
        requireData(buffer, floats * 4);
        float[] data = new float[(int) floats];
        buffer.asFloatBuffer().get(data);
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            if (!Float.isFinite(v)) {
                throw new ClientProblem(ProblemType.NON_FINITE_VALUE, FIELD, "element " + i + " (image "
                        + i / image.size() + ") is " + v + "; every value must be a finite number in [-1, 1]");
            }
            if (v < -1f || v > 1f) {
                if (Math.abs(v) <= 1f + RANGE_TOLERANCE) {
                    data[i] = Math.copySign(1f, v); // float rounding of a tanh output, not a mistake
                    continue;
                }
                throw new ClientProblem(ProblemType.VALUE_OUT_OF_RANGE, FIELD, "element " + i + " (image "
                        + i / image.size() + ") is " + v + "; float32 images must be in [-1, 1]"
                        + " (x = pixel / 127.5 - 1), or send uint8 pixels");
            }
        }
        return new ImageBatch(image, n, data);
    }

    private static ImageBatch readBytes(ByteBuffer buffer, long[] shape, int maxImages) {
        if (shape.length != 3 && shape.length != 4) {
            throw malformed("uint8 data must have shape [N, H, W] or [N, H, W, C], got " + shapeText(shape));
        }
        long stored = shape.length == 4 ? shape[3] : 1;
        if (stored != 1 && stored != 3 && stored != 4) {
            throw malformed("uint8 data must have 1, 3 or 4 channels last, got " + shapeText(shape));
        }
        ImageShape image = imageShape(stored == 1 ? 1 : 3, shape[1], shape[2], shape);
        int n = count(shape[0], maxImages);
        int plane = image.height() * image.width();
        long rawLength = (long) n * plane * stored;
        requireData(buffer, rawLength);
        byte[] raw = new byte[(int) rawLength];
        buffer.get(raw);
        float[] data = new float[n * image.size()];
        int s = (int) stored;
        for (int k = 0; k < n; k++) {
            for (int p = 0; p < plane; p++) {
                int base = (k * plane + p) * s;
                int alpha = s == 4 ? raw[base + 3] & 0xff : 255;
                for (int c = 0; c < image.channels(); c++) {
                    int v = raw[base + c] & 0xff;
                    if (alpha != 255) {
                        v = Math.round(v * alpha / 255f);
                    }
                    data[k * image.size() + c * plane + p] = Pixels.toModel(v);
                }
            }
        }
        return new ImageBatch(image, n, data);
    }

    private static ImageShape imageShape(long channels, long height, long width, long[] shape) {
        if (channels != 1 && channels != 3) {
            throw malformed("images must have 1 or 3 channels, shape " + shapeText(shape) + " has " + channels);
        }
        if (height < 1 || width < 1 || height > 4096 || width > 4096) {
            throw malformed("image size " + height + "x" + width + " in shape " + shapeText(shape)
                    + " is not between 1 and 4096 per side");
        }
        return new ImageShape((int) channels, (int) height, (int) width);
    }

    private static int count(long n, int maxImages) {
        if (n < 1) {
            throw malformed("the array holds no images (N = " + n + ")");
        }
        if (n > maxImages) {
            throw new ClientProblem(ProblemType.TOO_MANY_IMAGES, FIELD, "the array holds " + n
                    + " images; at most " + maxImages + " are scored per request. Split it.");
        }
        return (int) n;
    }

    private static void requireData(ByteBuffer buffer, long expected) {
        if (buffer.remaining() != expected) {
            throw malformed("the header's shape needs " + expected + " data bytes but " + buffer.remaining()
                    + " follow (" + (buffer.remaining() < expected ? "truncated" : "trailing bytes") + ")");
        }
    }

    private static String shapeText(long[] shape) {
        return java.util.Arrays.toString(shape);
    }

    private static ClientProblem malformed(String why) {
        return new ClientProblem(ProblemType.MALFORMED_NPY, FIELD, "malformed .npy: " + why);
    }
}
