package dev.forger.service.generation;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.inference.LatentSampler;

/** Where a stream's latent vectors come from: a seed's sequence from an offset, or vectors given by the client. */
public sealed interface LatentSource {
    /** Vectors in the stream. */
    long count();

    /** Sample index of the stream's first vector in its whole sequence (names archive entries). */
    long offset();

    /** {@code n} vectors from the stream's {@code first}-th (relative to the stream), packed. */
    float[] vectors(long first, int n);

    /** Vectors {@code offset .. offset+count-1} of the seed's sequence ({@link LatentSampler}). */
    record Seeded(BundleManifest.Latent latent, long seed, long offset, long count) implements LatentSource {
        @Override
        public float[] vectors(long first, int n) {
            return LatentSampler.sample(latent, seed, offset + first, n);
        }
    }

    /** Vectors the client sent, packed. */
    record Explicit(float[] z, int dim) implements LatentSource {
        @Override
        public long count() {
            return z.length / dim;
        }

        @Override
        public long offset() {
            return 0;
        }

        @Override
        public float[] vectors(long first, int n) {
            float[] out = new float[n * dim];
            System.arraycopy(z, (int) first * dim, out, 0, out.length);
            return out;
        }
    }
}
