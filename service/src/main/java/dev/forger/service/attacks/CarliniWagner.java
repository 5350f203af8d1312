package dev.forger.service.attacks;

/**
 * Carlini–Wagner L2 (2017) for a binary classifier. The image is x = tanh(w), so the box [-1, 1] holds by
 * construction; Adam ({@code learningRate}, in w-space) minimises ‖x − x₀‖₂² + c·max(m(x) + κ, 0), m the
 * logit's margin from the goal's side (z for goal fake, −z for real). {@code searchSteps} rounds of a
 * binary search on c (starting at {@code constant}): a round that succeeded lowers c, one that failed
 * raises it (×10 while no success bounds it). The result is the smallest successful image seen, or the
 * original when none succeeded. A minimal-perturbation attack: epsilon does not bound it. When the result
 * will be rounded to 8 bits, logits and gradients are taken at the rounded image (straight-through), so the
 * best image is one whose rounded version succeeds.
 */
final class CarliniWagner extends BaseAttack {
    /** κ, in logits: the boundary itself; minimal perturbations are what the attack is for. */
    static final double CONFIDENCE = 0;
    private static final double NO_UPPER_BOUND = 1e10;
    /** atanh(±1) is infinite: originals are pulled in by this much before the change of variables. */
    private static final double TANH_SHRINK = 1 - 1e-6;

    CarliniWagner() {
        super("cw", true, AttackDefaults.of(Norm.L2).steps(50).constant(1.0).searchSteps(5).learningRate(0.05),
                "steps", "constant", "searchSteps", "learningRate", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        int n = c.count();
        int size = c.imageSize();
        float[] x0 = c.originals();
        float[] w0 = new float[x0.length];
        for (int j = 0; j < x0.length; j++) {
            w0[j] = (float) atanh(x0[j] * TANH_SHRINK);
        }
        float[] best = x0.clone();
        double[] bestDistance = new double[n];
        java.util.Arrays.fill(bestDistance, Double.POSITIVE_INFINITY);
        double[] constant = new double[n];
        java.util.Arrays.fill(constant, c.parameters().constant());
        double[] lower = new double[n];
        double[] upper = new double[n];
        java.util.Arrays.fill(upper, NO_UPPER_BOUND);
        Adam adam = new Adam(n, size);
        float[] x = new float[x0.length];
        float[] gradW = new float[size];

        for (int round = 0; round < c.parameters().searchSteps(); round++) {
            float[] w = w0.clone();
            boolean[] succeeded = new boolean[n];
            for (int i = 0; i < n; i++) {
                adam.reset(i);
            }
            for (int s = 0; s < c.parameters().steps(); s++) {
                c.checkCancelled();
                for (int j = 0; j < w.length; j++) {
                    x[j] = (float) Math.tanh(w[j]);
                }
                float[] seen = c.asReturned(x);
                LogitsAndGradients lg = c.gradients(seen);
                for (int i = 0; i < n; i++) {
                    float z = lg.logits()[i];
                    int from = i * size;
                    double distance = 0;
                    for (int j = from; j < from + size; j++) {
                        double d = seen[j] - x0[j];
                        distance += d * d;
                    }
                    if (c.reached(i, z)) {
                        succeeded[i] = true;
                        if (distance < bestDistance[i]) {
                            bestDistance[i] = distance;
                            System.arraycopy(seen, from, best, from, size);
                        }
                    }
                    boolean hinge = Logits.margin(z, c.labels()[i]) + CONFIDENCE > 0;
                    // dm/dx = ∇z·sign: for target fake (t = 0) dBCE/dz = σ(z) > 0, for real −(1 − σ(z)) < 0,
                    // so dividing by |σ(z) − t| turns the BCE gradient into the margin's gradient
                    double toMargin = hinge ? Math.abs(Logits.logitGradientScale(z, c.labels()[i])) : 0;
                    double weight = constant[i] * toMargin;
                    for (int j = 0; j < size; j++) {
                        float xj = x[from + j];
                        double dx = 2 * (xj - x0[from + j]) + weight * lg.gradients()[from + j];
                        gradW[j] = (float) (dx * (1 - (double) xj * xj));
                    }
                    adam.step(i, w, gradW, 0, c.parameters().learningRate());
                }
            }
            for (int i = 0; i < n; i++) {
                if (succeeded[i]) {
                    upper[i] = Math.min(upper[i], constant[i]);
                    constant[i] = (lower[i] + upper[i]) / 2;
                } else {
                    lower[i] = Math.max(lower[i], constant[i]);
                    constant[i] = upper[i] < NO_UPPER_BOUND ? (lower[i] + upper[i]) / 2 : constant[i] * 10;
                }
            }
        }
        return best;
    }

    private static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }
}
