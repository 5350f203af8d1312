package dev.forger.trainer.training;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Latent vectors z ~ U(-1, 1), the seed notebook's distribution (recorded as {@code uniform} in the manifest).
 *
 * <p>Drawn with {@link Random} rather than ND4J's global generator so that a stream is fully determined by
 * its seed: a resumed run draws exactly the latents the uninterrupted run would have drawn.
 */
public final class LatentSampler {

    public static final double LOW = -1.0;
    public static final double HIGH = 1.0;

    private final Random random;
    private final int dim;

    public LatentSampler(long seed, int dim) {
        this.random = new Random(seed);
        this.dim = dim;
    }

    public float[] nextFloats(int count) {
        float[] z = new float[count * dim];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (LOW + (HIGH - LOW) * random.nextDouble());
        }
        return z;
    }

    public INDArray next(int count) {
        return Nd4j.create(nextFloats(count), new long[] {count, dim}, 'c');
    }
}
