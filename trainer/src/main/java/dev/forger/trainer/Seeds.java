package dev.forger.trainer;

import java.nio.charset.StandardCharsets;

/**
 * Seeds of a run's independent random streams, all derived from the one {@code --seed}.
 *
 * <p>Every random draw of a run comes from a generator seeded with {@code derive(seed, stream, index…)}:
 * the stream's name ({@link #GENERATOR_INIT}, {@link #DATA_ORDER}, …) and, for per-epoch streams, the epoch.
 * The mix is SplitMix64's finaliser (Steele, Lea and Flood 2014), so neighbouring seeds, epochs and streams
 * give unrelated seeds, and no stream is a shifted copy of another: turning the quality metric on or off, or
 * adding a stream, cannot change what any other stream draws.
 *
 * <p><b>Never 0.</b> libnd4j's {@code RandomGenerator::setStates} replaces a root seed of 0 with the current
 * time in milliseconds, so DL4J's {@code NeuralNetConfiguration.Builder.seed(0)} — reached through
 * {@code MultiLayerNetwork.init()} → {@code Nd4j.getRandom().setSeed(0)} — initialises weights differently in
 * every process. That is why {@code train --seed 0} (the default) did not reproduce while seeds 1 and 5 did.
 * A derived seed of 0 (probability 2⁻⁶⁴) is replaced by a fixed non-zero constant.
 */
public final class Seeds {

    /** Version of this derivation; checkpoints record it, so a resumed run never switches streams half-way. */
    public static final int SCHEME = 2;

    public static final String HELD_OUT_SPLIT = "held-out split";
    public static final String GENERATOR_INIT = "generator init";
    public static final String DISCRIMINATOR_INIT = "discriminator init";
    public static final String DATA_ORDER = "data order";
    public static final String LATENTS = "latents";
    public static final String GRID_LATENTS = "grid latents";
    public static final String QUALITY = "quality metric";
    public static final String QUALITY_LATENTS = "quality latents";
    public static final String SERVED_METRICS_LATENTS = "served metrics latents";
    public static final String CLASSIFIER_INIT = "classifier init";
    public static final String CLASSIFIER_ORDER = "classifier order";
    public static final String FLOOR_SAMPLE = "floor sample";
    public static final String SERVED_DISCRIMINATOR_INIT = "served discriminator init";
    public static final String SERVED_DISCRIMINATOR_ORDER = "served discriminator order";
    public static final String SERVED_DISCRIMINATOR_LATENTS = "served discriminator latents";

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long NON_ZERO = 0x5EED5EED5EED5EEDL;

    private Seeds() {
    }

    /** The seed of stream {@code stream} (and, for per-epoch streams, {@code indices}) of a run seeded {@code seed}. */
    public static long derive(long seed, String stream, long... indices) {
        long h = mix(seed + GOLDEN_GAMMA);
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        for (long index : indices) {
            h = mix(h ^ mix(index + GOLDEN_GAMMA));
        }
        return h == 0 ? NON_ZERO : h;
    }

    /** SplitMix64's output function: a bijection on 64-bit values with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
