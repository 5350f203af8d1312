package dev.forger.service.generation;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.inference.LatentSampler;
import java.util.List;

/**
 * Vector arithmetic on concepts (Radford et al. 2015, section 6.3): a concept is the mean of a few
 * latents that show it (one sample alone is unstable, the paper averages three), and the result is
 * the sum of the {@code plus} concepts minus the sum of the {@code minus} ones. Variations add uniform
 * noise in [-noise, noise] to each component (the paper used 0.25), drawn counter-based from a seed.
 */
public record LatentArithmetic(List<List<float[]>> plus, List<List<float[]>> minus) {
    /** The mean of one concept's latents. */
    public static float[] mean(List<float[]> latents) {
        int dim = latents.get(0).length;
        double[] sum = new double[dim];
        for (float[] z : latents) {
            for (int i = 0; i < dim; i++) {
                sum[i] += z[i];
            }
        }
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = (float) (sum[i] / latents.size());
        }
        return out;
    }

    /** Sum of the plus concepts' means minus the sum of the minus concepts' means (in double). */
    public float[] result() {
        int dim = plus.get(0).get(0).length;
        double[] sum = new double[dim];
        for (List<float[]> concept : plus) {
            add(sum, mean(concept), 1);
        }
        for (List<float[]> concept : minus) {
            add(sum, mean(concept), -1);
        }
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = (float) sum[i];
        }
        return out;
    }

    /** The result followed by {@code count} noisy copies of it, packed. */
    public float[] resultAndVariations(int count, double noise, long seed) {
        float[] result = result();
        int dim = result.length;
        float[] out = new float[(1 + count) * dim];
        System.arraycopy(result, 0, out, 0, dim);
        if (count > 0) {
            float[] jitter = LatentSampler.sample(BundleManifest.Latent.uniform(dim, -noise, noise), seed, 0, count);
            for (int i = 0; i < jitter.length; i++) {
                out[dim + i] = result[i % dim] + jitter[i];
            }
        }
        return out;
    }

    private static void add(double[] sum, float[] v, int sign) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += sign * v[i];
        }
    }
}
