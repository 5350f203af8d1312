package dev.forger.service.attacks;

/**
 * The seed of one image's random stream: SplitMix64's finaliser folded over the run's seed and the bits of
 * the image's pixels. Equal images under the same seed get the same stream, wherever they are in a batch.
 * Written here because the JDK offers no seeded hash of a float array (Arrays.hashCode is 32 bits and
 * unseeded) and a dependency for ten lines would be heavier than the lines.
 */
final class ImageSeeds {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private ImageSeeds() {}

    static long of(long seed, float[] images, int from, int size) {
        long h = mix64(seed + GAMMA);
        for (int j = from, end = from + size; j < end; j++) {
            h = mix64(h + GAMMA + Float.floatToIntBits(images[j]));
        }
        return h;
    }

    /** SplitMix64's output function (Steele, Lea and Flood 2014). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
