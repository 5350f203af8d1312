package dev.forger.service.attacks;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The feasible set of an ε-bounded attack, in model units: the ε-ball (L∞ or L2) around each original
 * intersected with the box of its {@link AttackSpace} ([-1, 1] for pixels, a uniform latent's support). Steepest-descent steps, projection and random starts, done once here
 * for every attack, and the last word on what is returned ({@link #finish}): ε is a promise about the
 * returned images in the units the response reports, so the result is checked and, where float rounding
 * stepped out by an ulp, nudged back in the same double arithmetic that reports it. Plain loops over float[]:
 * this runs once per step on the whole batch and must stay cheap next to the ONNX Runtime run.
 */
public final class EpsilonBall {
    private final Norm norm;
    private final double epsilon;
    private final float radius;
    private final int imageSize;
    private final AttackSpace space;
    /** A radius per point (model units), or null: {@link #radius} for all. */
    private final float[] radii;

    /** @param radius ε in model units (twice the pixel-unit ε) */
    public EpsilonBall(Norm norm, float radius, int imageSize) {
        this(norm, radius / 2.0, radius, AttackSpace.pixel(imageSize), null);
    }

    private EpsilonBall(Norm norm, double epsilon, float radius, AttackSpace space, float[] radii) {
        this.norm = norm;
        this.epsilon = epsilon;
        this.radius = radius;
        this.imageSize = space.size();
        this.space = space;
        this.radii = radii;
    }

    /**
     * The ball an attack runs in. Its float radius is never above 2ε (the nearest float may be). With 8-bit
     * results an L∞ ball holds whole grey levels only ({@link GreyLevels#within}: 8/255 allows 8 levels,
     * 0.0039 none, as it is below 1/255), so the attack searches exactly the images it may return.
     */
    public static EpsilonBall forRun(AttackParameters parameters, int imageSize) {
        return forRun(parameters, AttackSpace.pixel(imageSize));
    }

    /** As {@link #forRun(AttackParameters, int)} in any space: ε is δ in latent units there, never on a grid. */
    public static EpsilonBall forRun(AttackParameters parameters, AttackSpace space) {
        double epsilon = parameters.epsilon();
        double modelRadius = space.gridded() && parameters.quantize() && parameters.norm() == Norm.LINF
                ? 2.0 * GreyLevels.within(epsilon) / 255 : space.unitsPerReported() * epsilon;
        float radius = (float) modelRadius;
        if (radius > modelRadius) {
            radius = Math.nextDown(radius);
        }
        return new EpsilonBall(parameters.norm(), epsilon, radius, space, null);
    }

    public AttackSpace space() {
        return space;
    }

    /**
     * Balls of the same norm in the same space with a radius of their own around each point (model units, in the
     * order the points are packed): the trials of a search over δ, where each point has its own interval. Its
     * {@link #radius()} is the largest of them.
     */
    public EpsilonBall withRadii(float[] modelRadii) {
        float largest = 0;
        for (float r : modelRadii) {
            largest = Math.max(largest, r);
        }
        return new EpsilonBall(norm, largest / space.unitsPerReported(), largest, space, modelRadii.clone());
    }

    /** The radius (model units) around point {@code i}. */
    public float radius(int i) {
        return radii == null ? radius : radii[i];
    }

    public Norm norm() {
        return norm;
    }

    /** ε in model units, rounded down to a float. */
    public float radius() {
        return radius;
    }

    /** ε in pixel units, as the request gave it: the bound on what is returned. */
    public double epsilon() {
        return epsilon;
    }

    /** Whether the ball holds no point but the original: nothing to search. */
    public boolean isPoint() {
        return radius == 0f;
    }

    /**
     * Makes attack results what the client gets: projected into ball ∩ box, then, for 8-bit results, rounded
     * to the nearest grey levels inside the ball ({@code originals} must be 8-bit then too), and in every case
     * checked so that {@link PerturbationNorms} reports at most ε.
     */
    public void finish(float[] x, float[] originals, boolean greyLevels) {
        project(x, originals);
        if (greyLevels) {
            GreyLevels.roundInsideBall(x, originals, norm, epsilon, imageSize);
        }
        for (int from = 0; from < x.length; from += imageSize) {
            if (PerturbationNorms.of(norm, x, originals, from, imageSize, greyLevels, space.unitsPerReported()) > epsilon) {
                if (greyLevels) {
                    throw new IllegalStateException("grey-level rounding left the ball"); // GreyLevels guarantees it
                }
                pullIn(x, originals, from);
            }
        }
    }

    /**
     * Moves a float image that float rounding left just outside the ball back in: for L∞ each offending
     * pixel one ulp at a time towards its original, for L2 the whole perturbation shrunk a little at a time.
     */
    private void pullIn(float[] x, float[] originals, int from) {
        int end = from + imageSize;
        if (norm == Norm.LINF) {
            for (int j = from; j < end; j++) {
                while (Math.abs((double) x[j] - originals[j]) / space.unitsPerReported() > epsilon) {
                    x[j] = Math.nextAfter(x[j], originals[j]);
                }
            }
            return;
        }
        double shrink = 1e-6;
        for (double l2; (l2 = PerturbationNorms.l2(x, originals, from, imageSize, false, space.unitsPerReported())) > epsilon;
             shrink *= 2) {
            double scale = epsilon / l2 * Math.max(0, 1 - shrink); // reaches 0, the original itself, if float rounding insists
            for (int j = from; j < end; j++) {
                x[j] = (float) (originals[j] + scale * ((double) x[j] - originals[j]));
            }
        }
    }

    /**
     * x ← x − step·d per image, d the steepest-descent direction of the gradient g for this norm: sign(g)
     * for L∞, g/‖g‖₂ for L2. A zero gradient does not move the image.
     */
    public void descend(float[] x, float[] g, float step) {
        if (norm == Norm.LINF) {
            for (int j = 0; j < x.length; j++) {
                x[j] -= step * Math.signum(g[j]);
            }
            return;
        }
        for (int i = 0, from = 0; from < x.length; i++, from += imageSize) {
            descendL2(x, g, from, step);
        }
    }

    /** As {@link #descend(float[], float[], float)} with a step per image. */
    public void descend(float[] x, float[] g, float[] steps) {
        for (int i = 0, from = 0; from < x.length; i++, from += imageSize) {
            float step = steps[i];
            if (norm == Norm.LINF) {
                for (int j = from, end = from + imageSize; j < end; j++) {
                    x[j] -= step * Math.signum(g[j]);
                }
            } else {
                descendL2(x, g, from, step);
            }
        }
    }

    private void descendL2(float[] x, float[] g, int from, float step) {
        double norm = l2(g, from, imageSize);
        if (norm > 0) {
            float scale = (float) (step / norm);
            for (int j = from, end = from + imageSize; j < end; j++) {
                x[j] -= scale * g[j];
            }
        }
    }

    /** x ← the nearest point of ball(originals) ∩ box, every image (Euclidean projection for L2, then the box). */
    public void project(float[] x, float[] originals) {
        if (norm == Norm.LINF) {
            for (int from = 0, i = 0; from < x.length; from += imageSize, i++) {
                float r = radius(i);
                for (int j = from, end = from + imageSize; j < end; j++) {
                    float o = originals[j];
                    float low = Math.max(o - r, space.low());
                    float high = Math.min(o + r, space.high());
                    x[j] = Math.min(Math.max(x[j], low), high);
                }
            }
            return;
        }
        for (int from = 0, i = 0; from < x.length; from += imageSize, i++) {
            float radius = radius(i);
            double sum = 0;
            for (int j = from, end = from + imageSize; j < end; j++) {
                double d = x[j] - originals[j];
                sum += d * d;
            }
            double length = Math.sqrt(sum);
            if (length > radius) {
                // shrinking towards the original first and clipping to the box after keeps the norm <= radius:
                // clipping only moves coordinates towards the original, which is inside the box
                float scale = (float) (radius / length);
                for (int j = from, end = from + imageSize; j < end; j++) {
                    x[j] = originals[j] + scale * (x[j] - originals[j]);
                }
            }
        }
        space.clip(x);
    }

    /**
     * A random point of the feasible set: uniform in the L∞ cube; for L2 a uniformly random direction
     * at a radius uniform in [0, ε] (as torchattacks' PGDL2 does), then clipped to the box.
     */
    public float[] randomStart(float[] originals, SplittableRandom random) {
        return randomStart(originals, image -> random);
    }

    /** As {@link #randomStart(float[], SplittableRandom)}, image i drawn from {@code streams.apply(i)}. */
    public float[] randomStart(float[] originals, IntFunction<SplittableRandom> streams) {
        float[] x = originals.clone();
        if (isPoint()) {
            return x;
        }
        float[] direction = new float[imageSize];
        for (int i = 0, from = 0; from < x.length; i++, from += imageSize) {
            SplittableRandom random = streams.apply(i);
            if (norm == Norm.LINF) {
                float r = radius(i);
                for (int j = from, end = from + imageSize; j < end; j++) {
                    x[j] += r == 0 ? 0f : (float) random.nextDouble(-r, r);
                }
            } else {
                for (int j = 0; j < imageSize; j++) {
                    direction[j] = (float) random.nextGaussian();
                }
                double scale = radius(i) * random.nextDouble() / l2(direction, 0, imageSize);
                for (int j = 0; j < imageSize; j++) {
                    x[from + j] += (float) (scale * direction[j]);
                }
            }
        }
        project(x, originals); // float rounding may leave the ball by an ulp; the box clip is needed anyway
        return x;
    }

    /** Clips every value to [-1, 1]; NaN stays NaN and is caught by the runner. */
    public static void clip(float[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Math.min(Math.max(x[j], -1f), 1f);
        }
    }

    /** ‖v[from, from + size)‖₂ in double. */
    static double l2(float[] v, int from, int size) {
        double sum = 0;
        for (int j = from, end = from + size; j < end; j++) {
            sum += (double) v[j] * v[j];
        }
        return Math.sqrt(sum);
    }

    /** ‖v[from, from + size)‖₁ in double. */
    static double l1(float[] v, int from, int size) {
        double sum = 0;
        for (int j = from, end = from + size; j < end; j++) {
            sum += Math.abs(v[j]);
        }
        return sum;
    }
}
