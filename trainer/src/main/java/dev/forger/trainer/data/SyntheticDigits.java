package dev.forger.trainer.data;

import java.util.Random;

/**
 * Seven-segment digits drawn procedurally, for tests that need labelled digit-like images in
 * milliseconds without any file. Each image gets a random offset, size, stroke thickness, slant and
 * brightness from a {@link Random} seeded once per set, so a seed always gives the same pixels.
 * Labels cycle 0, 1, …, 9, 0, … so that any prefix covers all classes.
 *
 * <p>Drawn by hand rather than with Java2D so that the pixels do not depend on the JDK's
 * antialiasing rasteriser: coverage of each pixel by the strokes is estimated on a 4x4 grid of
 * sample points, each stroke being a capsule (a segment with round ends).
 */
public final class SyntheticDigits {

    /** How many images a spec with limit 0 gets. */
    public static final int DEFAULT_COUNT = 1000;

    private static final int SUB = 4;

    /** Segments a..g lit for each digit; bit 0 = a (top), b (top right), c, d (bottom), e, f, g (middle). */
    private static final int[] SEGMENTS = {
        0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110,
        0b1101101, 0b1111101, 0b0000111, 0b1111111, 0b1101111,
    };

    private SyntheticDigits() {
    }

    /** {@code count} grey images of {@code size x size}, labels {@code i % 10}. */
    public static ImageSet generate(int count, int size, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        Random random = new Random(seed);
        int plane = size * size;
        byte[] pixels = new byte[count * plane];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            draw(labels[i], size, random, pixels, i * plane);
        }
        return new ImageSet("synthetic:seed" + seed, 1, size, size, pixels, labels);
    }

    private static void draw(int digit, int size, Random random, byte[] out, int offset) {
        double height = size * (0.55 + 0.15 * random.nextDouble());
        double width = height * (0.45 + 0.15 * random.nextDouble());
        double cx = size / 2.0 + size * 0.08 * (2 * random.nextDouble() - 1);
        double cy = size / 2.0 + size * 0.08 * (2 * random.nextDouble() - 1);
        double radius = size * (0.035 + 0.03 * random.nextDouble());
        double slant = 0.25 * (2 * random.nextDouble() - 1);
        int intensity = 150 + random.nextInt(106);

        double x0 = cx - width / 2;
        double x1 = cx + width / 2;
        double y0 = cy - height / 2;
        double ym = cy;
        double y1 = cy + height / 2;
        double[][] ends = {
            {x0, y0, x1, y0}, {x1, y0, x1, ym}, {x1, ym, x1, y1}, {x0, y1, x1, y1},
            {x0, ym, x0, y1}, {x0, y0, x0, ym}, {x0, ym, x1, ym},
        };
        int lit = SEGMENTS[digit];
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                int hits = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    for (int sx = 0; sx < SUB; sx++) {
                        double y = py + (sy + 0.5) / SUB;
                        // slant by shearing the sample point instead of the strokes: the top leans right
                        double x = px + (sx + 0.5) / SUB - slant * (cy - y);
                        if (covered(x, y, ends, lit, radius * radius)) {
                            hits++;
                        }
                    }
                }
                out[offset + py * size + px] = (byte) Math.round(intensity * hits / (double) (SUB * SUB));
            }
        }
    }

    private static boolean covered(double x, double y, double[][] ends, int lit, double radiusSquared) {
        for (int s = 0; s < 7; s++) {
            if ((lit >> s & 1) != 0 && squaredDistanceToSegment(x, y, ends[s]) <= radiusSquared) {
                return true;
            }
        }
        return false;
    }

    private static double squaredDistanceToSegment(double x, double y, double[] e) {
        double dx = e[2] - e[0];
        double dy = e[3] - e[1];
        double t = ((x - e[0]) * dx + (y - e[1]) * dy) / (dx * dx + dy * dy);
        t = Math.max(0, Math.min(1, t));
        double ex = x - (e[0] + t * dx);
        double ey = y - (e[1] + t * dy);
        return ex * ex + ey * ey;
    }
}
