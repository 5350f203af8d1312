package dev.forger.service.attacks;

import java.util.SplittableRandom;

/**
 * Square Attack (Andriushchenko et al. 2020), L∞ and L2, forward calls only: random search that, each
 * query, redraws the perturbation inside one random square (L∞: ±ε per channel; L2: a pseudo-Gaussian
 * bump that takes the mass of a second square, keeping ‖δ‖₂ = ε) and keeps the change when the logit's
 * margin from the goal shrinks. The square covers a fraction p of the image, halved on the paper's
 * schedule (scaled to the {@code queries} budget). L∞ starts from vertical stripes of ±ε, L2 from a grid of
 * bumps. Each image stops when it reaches the goal; one query per image and iteration, one call for all.
 * Every draw for an image comes from its own stream ({@link AttackContext#random(int)}).
 */
final class SquareAttack extends BaseAttack {
    /**
     * Initial square fractions: the paper's 0.05 is for ImageNet; on the default model's 32×32 digits 0.1 did as
     * well as 0.3 and better than 0.05 at 1,000 queries (measured on 16 real digits, ε = 8/255).
     */
    static final double P_INIT_LINF = 0.1;
    static final double P_INIT_L2 = 0.1;
    private static final int[] SCHEDULE = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};

    SquareAttack() {
        super("square", false, AttackDefaults.of(Norm.LINF, Norm.L2).queries(2000),
                "epsilon", "norm", "queries", "seed", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        int size = c.imageSize();
        boolean linf = c.parameters().norm() == Norm.LINF;
        int queries = c.parameters().queries();
        float[] x = linf ? stripes(c) : bumps(c);
        float[] margin = new float[c.count()];
        float[] logits = c.logits(x);
        boolean[] working = new boolean[c.count()];
        for (int i = 0; i < c.count(); i++) {
            margin[i] = Logits.margin(logits[i], c.labels()[i]);
            working[i] = margin[i] >= 0;
        }
        for (int it = 1; it < queries; it++) {
            c.checkCancelled();
            int[] active = Batch.where(working);
            if (active.length == 0) {
                break;
            }
            double p = fraction(linf ? P_INIT_LINF : P_INIT_L2, it, queries);
            float[] candidates = Batch.gather(x, active, size);
            for (int k = 0; k < active.length; k++) {
                if (linf) {
                    mutateLinf(c, candidates, k, active[k], p);
                } else {
                    mutateL2(c, candidates, k, active[k], p);
                }
            }
            float[] answers = c.model(active).logits(candidates, active.length);
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                float m = Logits.margin(answers[k], c.labels()[i]);
                if (m < margin[i]) {
                    margin[i] = m;
                    System.arraycopy(candidates, k * size, x, i * size, size);
                    working[i] = m >= 0;
                }
            }
        }
        return x;
    }

    /** The square's share of the image at iteration {@code it} of {@code budget}: the paper's halvings, rescaled from 10,000. */
    static double fraction(double pInit, int it, int budget) {
        int scaled = (int) ((long) it * 10_000 / budget);
        double p = pInit;
        for (int threshold : SCHEDULE) {
            if (scaled > threshold) {
                p /= 2;
            }
        }
        return p;
    }

    private static int side(double p, int height, int width, int min) {
        int s = (int) Math.max(Math.round(Math.sqrt(p * height * width)), min);
        return Math.min(s, Math.min(height, width) - 1);
    }

    private static float[] stripes(AttackContext c) {
        int channels = c.shape().channels();
        int h = c.shape().height();
        int w = c.shape().width();
        float eps = c.epsilon();
        float[] x = c.originals().clone();
        for (int i = 0; i < c.count(); i++) {
            SplittableRandom random = c.random(i);
            for (int ch = 0; ch < channels; ch++) {
                for (int col = 0; col < w; col++) {
                    float d = random.nextBoolean() ? eps : -eps;
                    for (int row = 0; row < h; row++) {
                        x[((i * channels + ch) * h + row) * w + col] += d;
                    }
                }
            }
        }
        EpsilonBall.clip(x);
        return x;
    }

    /** Candidate k (image i of the context): one random square of each channel set to x₀ ± ε, drawn anew if unchanged. */
    private static void mutateLinf(AttackContext c, float[] candidates, int k, int i, double p) {
        int channels = c.shape().channels();
        int h = c.shape().height();
        int w = c.shape().width();
        int size = c.imageSize();
        float eps = c.epsilon();
        SplittableRandom random = c.random(i);
        float[] x0 = c.originals();
        int s = side(p, h, w, 1);
        int top = random.nextInt(h - s + 1);
        int left = random.nextInt(w - s + 1);
        boolean changed = false;
        for (int attempt = 0; attempt < 10 && !changed; attempt++) {
            for (int ch = 0; ch < channels; ch++) {
                float d = random.nextBoolean() ? eps : -eps;
                for (int row = top; row < top + s; row++) {
                    for (int col = left; col < left + s; col++) {
                        int offset = (ch * h + row) * w + col;
                        float v = Math.min(Math.max(x0[i * size + offset] + d, -1f), 1f);
                        changed |= v != candidates[k * size + offset];
                        candidates[k * size + offset] = v;
                    }
                }
            }
        }
    }

    private static float[] bumps(AttackContext c) {
        int channels = c.shape().channels();
        int h = c.shape().height();
        int w = c.shape().width();
        int size = c.imageSize();
        int s = Math.max(h / 5, 1);
        int start = (h - 5 * s) / 2;
        float[] delta = new float[c.originals().length];
        for (int i = 0; i < c.count(); i++) {
            SplittableRandom random = c.random(i);
            for (int top = start; top + s <= h; top += s) {
                for (int left = start; left + s <= w; left += s) {
                    double[] bump = SquarePatterns.metaPseudoGaussian(s, random);
                    for (int ch = 0; ch < channels; ch++) {
                        int sign = random.nextBoolean() ? 1 : -1;
                        for (int r = 0; r < s; r++) {
                            for (int col = 0; col < s; col++) {
                                delta[i * size + (ch * h + top + r) * w + left + col] += (float) (sign * bump[r * s + col]);
                            }
                        }
                    }
                }
            }
        }
        float[] x = c.originals().clone();
        for (int i = 0; i < c.count(); i++) {
            place(c, x, delta, i * size, i * size);
        }
        return x;
    }

    /** x[to…] = clip(x₀[to…] + ε·δ/‖δ‖₂) for the image whose perturbation starts at delta[from]. */
    private static void place(AttackContext c, float[] x, float[] delta, int from, int to) {
        int size = c.imageSize();
        double norm = EpsilonBall.l2(delta, from, size);
        float scale = norm > 0 ? (float) (c.epsilon() / norm) : 0f;
        float[] x0 = c.originals();
        for (int j = 0; j < size; j++) {
            float v = x0[to + j] + scale * delta[from + j];
            x[to + j] = Math.min(Math.max(v, -1f), 1f);
        }
    }

    /**
     * Candidate k (image i): the perturbation in one square is replaced by a fresh bump plus its old direction,
     * a second square's mass is moved into it, and the whole perturbation is rescaled to ‖δ‖₂ = ε.
     */
    private static void mutateL2(AttackContext c, float[] candidates, int k, int i, double p) {
        int channels = c.shape().channels();
        int h = c.shape().height();
        int w = c.shape().width();
        int size = c.imageSize();
        double eps = c.epsilon();
        SplittableRandom random = c.random(i);
        float[] x0 = c.originals();
        int s = side(p, h, w, 3);
        if (s % 2 == 0) {
            s = s + 1 < Math.min(h, w) ? s + 1 : s - 1;
        }
        float[] delta = new float[size];
        for (int j = 0; j < size; j++) {
            delta[j] = candidates[k * size + j] - x0[i * size + j];
        }
        int top1 = random.nextInt(h - s + 1);
        int left1 = random.nextInt(w - s + 1);
        int top2 = random.nextInt(h - s + 1);
        int left2 = random.nextInt(w - s + 1);
        double imageNorm = EpsilonBall.l2(delta, 0, size);
        double[] bump = SquarePatterns.metaPseudoGaussian(s, random);
        double[] fresh = new double[s * s];
        for (int ch = 0; ch < channels; ch++) {
            int plane = ch * h * w;
            double window1 = 0;
            double windows = 0;
            for (int row = 0; row < h; row++) {
                for (int col = 0; col < w; col++) {
                    boolean in1 = inside(row, col, top1, left1, s);
                    boolean in2 = inside(row, col, top2, left2, s);
                    double d = delta[plane + row * w + col];
                    window1 += in1 ? d * d : 0;
                    windows += in1 || in2 ? d * d : 0;
                }
            }
            double oldNorm = Math.sqrt(window1) + 1e-10;
            int sign = random.nextBoolean() ? 1 : -1;
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    fresh[r * s + col] = sign * bump[r * s + col] + delta[plane + (top1 + r) * w + left1 + col] / oldNorm;
                }
            }
            SquarePatterns.normalise(fresh);
            double budget = Math.sqrt(Math.max(eps * eps - imageNorm * imageNorm, 0) / channels + windows);
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    delta[plane + (top2 + r) * w + left2 + col] = 0f;
                }
            }
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    delta[plane + (top1 + r) * w + left1 + col] = (float) (fresh[r * s + col] * budget);
                }
            }
        }
        double norm = EpsilonBall.l2(delta, 0, size);
        float scale = norm > 0 ? (float) (eps / norm) : 0f;
        for (int j = 0; j < size; j++) {
            float v = x0[i * size + j] + scale * delta[j];
            candidates[k * size + j] = Math.min(Math.max(v, -1f), 1f);
        }
    }

    private static boolean inside(int row, int col, int top, int left, int s) {
        return row >= top && row < top + s && col >= left && col < left + s;
    }
}
