package dev.forger.service.inference;

import dev.forger.graph.manifest.BundleManifest;
import java.util.SplittableRandom;

/**
 * Draws latent vectors from the distribution a bundle's manifest records. The same seed always
 * gives the same vectors (SplittableRandom's sequence is specified), so the same seed gives the
 * same images.
 */
public final class LatentSampler {
    private LatentSampler() {}

    /** @return {@code count * latent.dim()} floats, vector after vector */
    public static float[] sample(BundleManifest.Latent latent, long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] z = new float[count * latent.dim()];
        boolean uniform = BundleManifest.Latent.UNIFORM.equals(latent.distribution());
        for (int i = 0; i < z.length; i++) {
            z[i] = uniform
                    ? (float) (latent.low() + (latent.high() - latent.low()) * random.nextDouble())
                    : (float) (latent.mean() + latent.std() * random.nextGaussian());
        }
        return z;
    }
}
