package dev.forger.service.imaging;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNGs that clients send most (8-bit grey, grey+alpha, RGB or RGBA, not interlaced)
 * straight from the bytes: the chunks, zlib through {@link Inflater}, the five row filters.
 * Everything else (palettes, 16 bits, Adam7, transparency keys, ICC profiles of colour images) is
 * left to ImageIO.
 *
 * <p>Hand-written because a decoder's fixed cost per image dominates small uploads, and scoring one
 * image is a hot path (a single-image /score request costs ~0.3 ms of CPU in all). Measured by
 * benchmarks' PngDecodeBenchmark (bytes to model floats, all three checked equal; one JMH fork, 2x2 s
 * warm-up, 3x3 s; load average 5.4-6.6 on the 2 shared cores), in µs per image: a real 32x32 grey MNIST
 * digit (285 bytes) takes 6.5 here, 20-23 with PNGJ 2.1.0 and 29-62 with ImageIO.read; a 64x64 RGB
 * image (8.5 kB) 93 here, 147-179 with PNGJ and 177-329 with ImageIO (this path ran steady; the
 * ranges are the other two's iterations, still settling). PNGJ, the pure-Java library that would
 * replace this class, is ~3x slower on digits and ~1.7x on colour, and 2.1.0 (jar built May 2014) is
 * the newest of its two releases on Maven Central: it buys neither speed nor active maintenance, so
 * this path stays. Every chunk's CRC is checked, so corrupt uploads still fail with a clear error.
 */
final class PngFastPath {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int PLTE = chunkType("PLTE");
    private static final int TRNS = chunkType("tRNS");
    private static final int ICCP = chunkType("iCCP");

    private PngFastPath() {}

    /** What IHDR declares; width and height are unsigned in the file, so they are longs here. */
    record Header(long width, long height, int bitDepth, int colourType, int compression, int filter,
                  int interlace) {
        /** Samples per pixel of the colour types this path decodes. */
        int samplesPerPixel() {
            return switch (colourType) {
                case 0 -> 1;
                case 4 -> 2;
                case 2 -> 3;
                case 6 -> 4;
                default -> throw new IllegalStateException("colour type " + colourType + " is not decoded here");
            };
        }

        long pixels() {
            return width * height;
        }

        /** Whether {@link #decode} reads this format itself (it may still hand over for a tRNS or iCCP chunk). */
        boolean decodedHere() {
            return bitDepth == 8 && interlace == 0 && compression == 0 && filter == 0
                    && (colourType == 0 || colourType == 2 || colourType == 4 || colourType == 6);
        }
    }

    /** The IHDR of a PNG, or null when the bytes do not start like a PNG (signature, then IHDR). */
    static Header header(byte[] bytes) {
        if (bytes.length < 33) {
            return null;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes[i] != SIGNATURE[i]) {
                return null;
            }
        }
        if (readInt(bytes, 8) != 13 || readInt(bytes, 12) != IHDR) {
            return null;
        }
        return new Header(readInt(bytes, 16) & 0xffffffffL, readInt(bytes, 20) & 0xffffffffL, bytes[24] & 0xff,
                bytes[25] & 0xff, bytes[26] & 0xff, bytes[27] & 0xff, bytes[28] & 0xff);
    }

    /**
     * Decodes a PNG whose header {@link #header} read and the caller checked against its size limits.
     *
     * @return the image, or null when this path does not handle the format (the caller uses ImageIO)
     * @throws ClientProblem CORRUPT_IMAGE for a bad checksum, truncated or malformed data
     */
    static ImageBatch decode(byte[] bytes, Header header, String field) {
        if (!header.decodedHere()) {
            return null;
        }
        int width = (int) header.width();
        int height = (int) header.height();
        int bpp = header.samplesPerPixel();
        boolean grey = header.colourType() == 0 || header.colourType() == 4;
        int stride = width * bpp;
        byte[] raw = new byte[height * (stride + 1)];
        Inflater inflater = new Inflater();
        try {
            int inflated = 0;
            byte[] spill = null;
            boolean sawData = false;
            CRC32 crc = new CRC32();
            int offset = SIGNATURE.length;
            while (true) {
                if (offset + 12 > bytes.length) {
                    throw corrupt(field, "the data ends inside a chunk header at byte " + offset);
                }
                int length = readInt(bytes, offset);
                int type = readInt(bytes, offset + 4);
                if (length < 0 || length > bytes.length - offset - 12) {
                    throw corrupt(field, "a chunk at byte " + offset + " declares " + (length & 0xffffffffL)
                            + " bytes, more than the file holds");
                }
                crc.reset();
                crc.update(bytes, offset + 4, length + 4);
                if ((int) crc.getValue() != readInt(bytes, offset + 8 + length)) {
                    throw corrupt(field, "chunk " + typeName(type) + " at byte " + offset + " fails its CRC");
                }
                int data = offset + 8;
                offset = data + length + 4;
                if (type == IDAT) {
                    sawData = true;
                    inflater.setInput(bytes, data, length);
                    while (!inflater.needsInput() && !inflater.finished()) {
                        int n;
                        if (inflated < raw.length) {
                            n = inflater.inflate(raw, inflated, raw.length - inflated);
                            inflated += n;
                        } else {
                            // past the image's bytes the stream is still read to its end: its Adler-32 covers
                            // every byte, and damage after the last row must fail here as it does in ImageIO
                            // (found by DecoderPropertiesTest; kept in PngFuzzTestInputs)
                            spill = spill == null ? new byte[256] : spill;
                            n = inflater.inflate(spill);
                        }
                        if (n == 0 && inflater.needsDictionary()) {
                            throw corrupt(field, "the zlib stream asks for a preset dictionary");
                        }
                    }
                } else if (type == IEND) {
                    break;
                } else if (type == TRNS || (type == ICCP && !grey) || (isCritical(type) && type != IHDR && type != PLTE)) {
                    // transparency keys, colour profiles of colour images, unknown critical chunks: ImageIO's job.
                    // A grey image's profile is ignored, as ImageDecoder reads grey samples as they are stored
                    // (grey PNGs written by Java encoders often carry its linear-grey profile).
                    return null;
                }
                if (offset == bytes.length) {
                    break; // no IEND: like ImageIO, accept the image if its data is whole
                }
            }
            if (!sawData) {
                throw corrupt(field, "no IDAT chunk (no image data)");
            }
            if (inflated < raw.length) {
                throw corrupt(field, "the image data holds " + inflated + " of the " + raw.length
                        + " bytes the header implies (truncated)");
            }
            if (!inflater.finished()) {
                throw corrupt(field, "the zlib stream of the image data does not end (its checksum is missing)");
            }
        } catch (DataFormatException e) {
            throw corrupt(field, "the zlib stream is malformed: " + e.getMessage());
        } finally {
            inflater.end();
        }
        unfilter(raw, height, stride, bpp, field);
        return toModelSpace(raw, width, height, header.colourType());
    }

    /** Undoes the per-row filters in place (PNG spec 9.2); each row keeps its filter byte in front. */
    private static void unfilter(byte[] raw, int height, int stride, int bpp, String field) {
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1) + 1;
            int prior = row - (stride + 1); // valid only when y > 0
            int filter = raw[row - 1];
            switch (filter) {
                case 0 -> { }
                case 1 -> {
                    for (int i = bpp; i < stride; i++) {
                        raw[row + i] += raw[row + i - bpp];
                    }
                }
                case 2 -> {
                    if (y > 0) {
                        for (int i = 0; i < stride; i++) {
                            raw[row + i] += raw[prior + i];
                        }
                    }
                }
                case 3 -> {
                    for (int i = 0; i < stride; i++) {
                        int left = i >= bpp ? raw[row + i - bpp] & 0xff : 0;
                        int up = y > 0 ? raw[prior + i] & 0xff : 0;
                        raw[row + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < stride; i++) {
                        int a = i >= bpp ? raw[row + i - bpp] & 0xff : 0;
                        int b = y > 0 ? raw[prior + i] & 0xff : 0;
                        int c = i >= bpp && y > 0 ? raw[prior + i - bpp] & 0xff : 0;
                        raw[row + i] += (byte) paeth(a, b, c);
                    }
                }
                default -> throw corrupt(field, "row " + y + " has filter type " + (filter & 0xff)
                        + "; PNG defines 0 to 4");
            }
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    /** The same values ImageDecoder's ImageIO path produces: alpha composited over black. */
    private static ImageBatch toModelSpace(byte[] raw, int width, int height, int colourType) {
        int plane = width * height;
        boolean grey = colourType == 0 || colourType == 4;
        float[] data = new float[(grey ? 1 : 3) * plane];
        for (int y = 0; y < height; y++) {
            int row = y * (raw.length / height) + 1;
            int out = y * width;
            for (int x = 0; x < width; x++, out++) {
                switch (colourType) {
                    case 0 -> data[out] = Pixels.toModel(raw[row + x] & 0xff);
                    case 4 -> {
                        int g = raw[row + 2 * x] & 0xff;
                        int a = raw[row + 2 * x + 1] & 0xff;
                        data[out] = Pixels.toModel((int) Math.round((double) g * a / 255.0));
                    }
                    case 2 -> {
                        int p = row + 3 * x;
                        data[out] = Pixels.toModel(raw[p] & 0xff);
                        data[plane + out] = Pixels.toModel(raw[p + 1] & 0xff);
                        data[2 * plane + out] = Pixels.toModel(raw[p + 2] & 0xff);
                    }
                    default -> {
                        int p = row + 4 * x;
                        int a = raw[p + 3] & 0xff;
                        data[out] = Pixels.toModel(ImageDecoder.overBlack(raw[p] & 0xff, a));
                        data[plane + out] = Pixels.toModel(ImageDecoder.overBlack(raw[p + 1] & 0xff, a));
                        data[2 * plane + out] = Pixels.toModel(ImageDecoder.overBlack(raw[p + 2] & 0xff, a));
                    }
                }
            }
        }
        return new ImageBatch(new ImageShape(grey ? 1 : 3, height, width), 1, data);
    }

    private static ClientProblem corrupt(String field, String why) {
        return new ClientProblem(ProblemType.CORRUPT_IMAGE, field, field + ": the PNG data is corrupt or truncated ("
                + why + "). Re-export the image and upload it whole.");
    }

    private static boolean isCritical(int type) {
        return (type & 0x20000000) == 0; // bit 5 of the first letter: upper case = critical
    }

    private static String typeName(int type) {
        return new String(new char[] {(char) (type >>> 24), (char) ((type >>> 16) & 0xff),
                (char) ((type >>> 8) & 0xff), (char) (type & 0xff)});
    }

    private static int chunkType(String name) {
        return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
