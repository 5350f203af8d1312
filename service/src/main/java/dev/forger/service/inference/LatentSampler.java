package dev.forger.service.inference;

import dev.forger.graph.manifest.BundleManifest;

/**
 * Draws latent vectors from the distribution a bundle's manifest records, counter-based: vector
 * {@code i} of a seed depends only on (seed, i), never on how many vectors are drawn with it, so
 * {@code offset=k&count=n} gives exactly vectors k..k+n-1 of the whole sequence, and shards of a
 * large job concatenate into it.
 *
 * <p>The derivation (docs/generation/README.md; docs/generation/latents.py reproduces it):
 * the k-th 64-bit draw of a seed is SplitMix64's output {@code mix64(seed + (k + 1) * 0x9E3779B97F4A7C15)},
 * a unit double is its top 53 bits times 2^-53. Component j of vector i of dimension d takes
 * <ul>
 *   <li>uniform [low, high]: {@code low + (high - low) * u(i*d + j)} (in double, rounded to float32);
 *   <li>normal (mean, std): Box-Muller on draws {@code 2(i*d + j)} and {@code 2(i*d + j) + 1}:
 *       {@code mean + std * sqrt(-2 ln(1 - u1)) * cos(2 pi u2)}.
 * </ul>
 * For uniform latents this is, draw for draw, the sequence of {@code new java.util.SplittableRandom(seed)
 * .nextDouble()} (JDK 8 onwards), so seeds keep the images they gave when vectors were drawn
 * sequentially. The JDK's SplittableRandom is not random-access, which is why mix64 is written here.
 */
public final class LatentSampler {
    /** SplitMix64's increment: the golden ratio in 64-bit fixed point. */
    static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final double UNIT = 0x1.0p-53;
    /** Vector indices stay below 2^40, so that draw counters (2 * i * d) cannot overflow for any dimension below 2^22. */
    public static final long MAX_INDEX = 1L << 40;

    private LatentSampler() {}

    /** Vectors 0 .. count-1 of the seed; {@code count * latent.dim()} floats, vector after vector. */
    public static float[] sample(BundleManifest.Latent latent, long seed, int count) {
        return sample(latent, seed, 0, count);
    }

    /** Vectors first .. first+count-1 of the seed; {@code count * latent.dim()} floats, vector after vector. */
    public static float[] sample(BundleManifest.Latent latent, long seed, long first, int count) {
        if (first < 0 || first + count > MAX_INDEX) {
            throw new IllegalArgumentException("vector indices must lie in [0, 2^40), got " + first + " + " + count);
        }
        int dim = latent.dim();
        float[] z = new float[count * dim];
        long k = first * dim;
        if (BundleManifest.Latent.UNIFORM.equals(latent.distribution())) {
            double low = latent.low();
            double span = latent.high() - latent.low();
            for (int c = 0; c < z.length; c++) {
                z[c] = (float) (low + span * unit(seed, k + c));
            }
        } else {
            for (int c = 0; c < z.length; c++) {
                double u1 = unit(seed, 2 * (k + c));
                double u2 = unit(seed, 2 * (k + c) + 1);
                // StrictMath: the same bits on every JVM (Math may use intrinsics that differ in the last place)
                double gaussian = StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
                z[c] = (float) (latent.mean() + latent.std() * gaussian);
            }
        }
        return z;
    }

    /** The k-th draw of the seed as a double in [0, 1). */
    static double unit(long seed, long k) {
        return (mix64(seed + (k + 1) * GAMMA) >>> 11) * UNIT;
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014; the JDK's SplittableRandom uses the same). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
