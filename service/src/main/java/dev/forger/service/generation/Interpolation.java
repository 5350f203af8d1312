package dev.forger.service.generation;

/**
 * How a walk moves between two latent points. Spherical interpolation (White 2016, "Sampling Generative
 * Networks") keeps the norm of a high-dimensional latent near that of the points it leaves and reaches,
 * where a straight line passes through vectors shorter than any the generator was trained on.
 */
public enum Interpolation {
    LINEAR,
    SPHERICAL;

    /** The point a fraction t of the way from a to b, in double, rounded to float32. */
    public float[] between(float[] a, float[] b, double t) {
        float[] out = new float[a.length];
        double wa = 1 - t;
        double wb = t;
        if (this == SPHERICAL) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < a.length; i++) {
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            double cos = na == 0 || nb == 0 ? 1 : Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
            double omega = Math.acos(cos);
            double sin = Math.sin(omega);
            if (sin > 1e-6) { // (anti)parallel points have no unique great circle: fall back to the line
                wa = Math.sin((1 - t) * omega) / sin;
                wb = Math.sin(t * omega) / sin;
            }
        }
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }
}
