package dev.forger.service.generation;

import java.util.List;

/**
 * A walk through latent points (Radford et al. 2015, section 6.1): each pair of consecutive points is one
 * segment of {@code steps} vectors from the first point to the second, both included, so a segment's last
 * image is the next segment's first.
 */
public record LatentWalk(List<float[]> points, int steps, Interpolation interpolation) {
    public LatentWalk {
        if (points.size() < 2 || steps < 2) {
            throw new IllegalArgumentException("a walk needs 2 or more points and 2 or more steps");
        }
    }

    public int segments() {
        return points.size() - 1;
    }

    /** Every vector of the walk, segment after segment, packed: segments * steps vectors. */
    public float[] vectors() {
        int dim = points.get(0).length;
        float[] z = new float[segments() * steps * dim];
        int at = 0;
        for (int s = 0; s < segments(); s++) {
            for (int k = 0; k < steps; k++) {
                float[] v = interpolation.between(points.get(s), points.get(s + 1), k / (double) (steps - 1));
                System.arraycopy(v, 0, z, at, dim);
                at += dim;
            }
        }
        return z;
    }
}
