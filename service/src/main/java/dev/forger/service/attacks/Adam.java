package dev.forger.service.attacks;

/**
 * Adam (Kingma & Ba 2015) over one flat parameter vector, β₁ = 0.9, β₂ = 0.999, with a step count per image so
 * that images can restart independently. Hand-written: a dozen lines, and no optimiser library fits float[]
 * batches without copies.
 */
final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final int imageSize;
    private final float[] m;
    private final float[] v;
    private final int[] t;

    Adam(int images, int imageSize) {
        this.imageSize = imageSize;
        this.m = new float[images * imageSize];
        this.v = new float[images * imageSize];
        this.t = new int[images];
    }

    /** Forgets image i's moments (a new search round starts from scratch). */
    void reset(int i) {
        java.util.Arrays.fill(m, i * imageSize, (i + 1) * imageSize, 0f);
        java.util.Arrays.fill(v, i * imageSize, (i + 1) * imageSize, 0f);
        t[i] = 0;
    }

    /** params[image i] -= lr · m̂/(√v̂ + ε) for gradient g of image i (g packed from {@code gFrom}). */
    void step(int i, float[] params, float[] g, int gFrom, double learningRate) {
        t[i]++;
        double correction1 = 1 - Math.pow(BETA1, t[i]);
        double correction2 = 1 - Math.pow(BETA2, t[i]);
        for (int j = 0, p = i * imageSize; j < imageSize; j++, p++) {
            float gj = g[gFrom + j];
            m[p] = (float) (BETA1 * m[p] + (1 - BETA1) * gj);
            v[p] = (float) (BETA2 * v[p] + (1 - BETA2) * gj * gj);
            params[p] -= (float) (learningRate * (m[p] / correction1) / (Math.sqrt(v[p] / correction2) + EPSILON));
        }
    }
}
