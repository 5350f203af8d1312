package dev.forger.service.attacks;

import java.util.ArrayList;
import java.util.List;

/**
 * Auto-PGD (Croce & Hein 2020), on the BCE towards the goal, L∞ or L2. No step size to tune: each image
 * starts with η = 2ε and halves it at a checkpoint w_j (p₀ = 0, p₁ = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1}
 * − 0.03, 0.06), w_j = ⌈p_j·steps⌉) when fewer than 75% of the steps since the last checkpoint lowered the
 * loss, or when neither η nor the best loss changed since then; a halving restarts the image from its best
 * point. Steps mix the projected gradient step with momentum 0.75. Returns each image's best point (lowest
 * loss) — steps + 1 gradient calls, one per iterate.
 *
 * <p>Two losses ({@link Loss}): {@code apgd} descends the BCE towards the goal, {@code apgd-margin} the margin,
 * the logit itself towards the goal (the one-logit analogue of Croce &amp; Hein's DLR and of Carlini &amp;
 * Wagner's margin: it does not saturate). On one logit the two are closer than on many classes: BCE =
 * softplus(margin) ranks iterates alike, and the margin's gradient is the BCE's times 1/|σ(z) − t| &gt; 0, so
 * sign (L∞) and normalised (L2) steps point the same way. What makes {@code apgd-margin} a second attack
 * rather than a copy is its own random start, drawn from a stream split off each image's stream.
 */
final class AutoPgd extends BaseAttack {
    private static final float MOMENTUM = 0.75f;
    private static final double RHO = 0.75;

    /** What the iterates descend. */
    enum Loss { BCE, MARGIN }

    private final Loss loss;

    AutoPgd() {
        this("apgd", Loss.BCE);
    }

    AutoPgd(String name, Loss loss) {
        super(name, true, AttackDefaults.of(Norm.LINF, Norm.L2).steps(20).randomStart(true),
                "epsilon", "norm", "steps", "randomStart", "seed", "goal", "quantize");
        this.loss = loss;
    }

    @Override
    public float[] perturb(AttackContext c) {
        int n = c.count();
        int size = c.imageSize();
        int steps = c.parameters().steps();
        EpsilonBall ball = c.ball();
        float[] x0 = c.originals();
        List<Integer> checkpoints = checkpoints(steps);

        float[] x = !c.parameters().randomStart() ? x0.clone()
                : ball.randomStart(x0, loss == Loss.BCE ? c::random : i -> c.random(i).split());
        float[] previous = x.clone();
        float[] eta = new float[n];
        for (int i = 0; i < n; i++) {
            eta[i] = 2 * ball.radius(i);
        }
        LogitsAndGradients lg = c.gradients(x);
        float[] g = gradients(c, lg);
        double[] current = losses(c, lg);
        float[] best = x.clone();
        float[] bestGradient = g.clone();
        double[] bestLoss = current.clone();
        int[] lowered = new int[n];
        double[] bestLossAtCheckpoint = bestLoss.clone();
        boolean[] halvedAtCheckpoint = new boolean[n];
        int lastCheckpoint = 0;

        float[] z = new float[x.length];
        for (int k = 0; k < steps; k++) {
            c.checkCancelled();
            // z = P(x − η·d); x' = P(x + a(z − x) + (1 − a)(x − x_prev)), a = 1 for the first step
            System.arraycopy(x, 0, z, 0, x.length);
            ball.descend(z, g, eta);
            ball.project(z, x0);
            float a = k == 0 ? 1f : MOMENTUM;
            for (int j = 0; j < x.length; j++) {
                float next = x[j] + a * (z[j] - x[j]) + (1 - a) * (x[j] - previous[j]);
                previous[j] = x[j];
                x[j] = next;
            }
            ball.project(x, x0);

            lg = c.gradients(x);
            g = gradients(c, lg);
            double[] next = losses(c, lg);
            for (int i = 0; i < n; i++) {
                if (next[i] < current[i]) {
                    lowered[i]++;
                }
                current[i] = next[i];
                if (next[i] < bestLoss[i]) {
                    bestLoss[i] = next[i];
                    Batch.copyImage(x, best, i, size);
                    Batch.copyImage(g, bestGradient, i, size);
                }
            }
            if (checkpoints.contains(k + 1)) {
                int since = k + 1 - lastCheckpoint;
                for (int i = 0; i < n; i++) {
                    boolean oscillating = lowered[i] < RHO * since;
                    boolean stalled = !halvedAtCheckpoint[i] && bestLoss[i] >= bestLossAtCheckpoint[i];
                    halvedAtCheckpoint[i] = oscillating || stalled;
                    if (halvedAtCheckpoint[i]) {
                        eta[i] /= 2;
                        Batch.copyImage(best, x, i, size);
                        Batch.copyImage(bestGradient, g, i, size);
                    }
                    lowered[i] = 0;
                    bestLossAtCheckpoint[i] = bestLoss[i];
                }
                lastCheckpoint = k + 1;
            }
        }
        return best;
    }

    /**
     * The loss the gradient descends: the model's own when it reports one (class goals: both losses are then
     * that objective), else the BCE or the margin towards the goal.
     */
    private double[] losses(AttackContext c, LogitsAndGradients lg) {
        if (lg.losses() != null) {
            return lg.losses().clone();
        }
        float[] logits = lg.logits();
        double[] values = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            values[i] = loss == Loss.BCE ? Logits.bce(logits[i], c.labels()[i]) : Logits.margin(logits[i], c.labels()[i]);
        }
        return values;
    }

    /** The loss's input gradient: the graph's BCE gradient, or for the margin that times 1/|σ(z) − t|. */
    private float[] gradients(AttackContext c, LogitsAndGradients lg) {
        float[] g = lg.gradients();
        if (loss == Loss.BCE || lg.losses() != null) {
            return g;
        }
        int size = c.imageSize();
        for (int i = 0; i < lg.logits().length; i++) {
            float scale = (float) Math.abs(Logits.logitGradientScale(lg.logits()[i], c.labels()[i]));
            for (int j = i * size, end = j + size; j < end; j++) {
                g[j] *= scale;
            }
        }
        return g;
    }

    /** ⌈v⌉, forgiving the binary rounding of the schedule's decimal fractions (0.22·100 is 22.000000000000004). */
    private static int ceil(double v) {
        return (int) Math.ceil(v - 1e-9);
    }

    /** The iterations after which the step size is reconsidered, w₁ < w₂ < … ≤ steps. */
    static List<Integer> checkpoints(int steps) {
        List<Integer> at = new ArrayList<>();
        double before = 0;
        double p = 0.22;
        while (ceil(p * steps) <= steps) {
            int w = ceil(p * steps);
            if (at.isEmpty() || w > at.get(at.size() - 1)) {
                at.add(w);
            }
            double after = p + Math.max(p - before - 0.03, 0.06);
            before = p;
            p = after;
        }
        return at;
    }
}
