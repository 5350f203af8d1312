package dev.forger.service.attacks;

import java.util.SplittableRandom;

/**
 * SPSA (Uesato et al. 2018), L∞, forward calls only. Each step estimates the gradient of the logit's
 * margin from the goal from {@value #SAMPLES} pairs of Rademacher probes x ± δv (δ = {@code stepSize}),
 * takes an Adam step ({@code learningRate}, pixel units) and projects back into the ε-ball and box. The
 * image itself rides along each step's call, so an image stops as soon as it reaches the goal. A step
 * costs 2·{@value #SAMPLES} + 1 forward calls per image; {@code queries} per image bounds them.
 */
final class Spsa extends BaseAttack {
    static final int SAMPLES = 32;
    private static final int PER_STEP = 2 * SAMPLES + 1;

    Spsa() {
        super("spsa", false, AttackDefaults.of(Norm.LINF).queries(3000).stepSize(0.01).learningRate(0.01),
                "epsilon", "queries", "stepSize", "learningRate", "seed", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        int size = c.imageSize();
        float delta = c.stepSize();
        double learningRate = 2 * c.parameters().learningRate();
        float[] x = c.originals().clone();
        Adam adam = new Adam(c.count(), size);
        boolean[] working = new boolean[c.count()];
        java.util.Arrays.fill(working, true);
        float[] gradient = new float[size];
        int steps = c.parameters().queries() / PER_STEP; // a budget below one step leaves the images as they are
        for (int s = 0; s < steps; s++) {
            c.checkCancelled();
            int[] active = Batch.where(working);
            if (active.length == 0) {
                break;
            }
            // per image: the image, then SAMPLES pairs (x + δv, x − δv); the signs are drawn per image in order
            float[] probes = new float[active.length * PER_STEP * size];
            int[] owners = new int[active.length * PER_STEP];
            byte[][] drawn = new byte[active.length][];
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                int base = k * PER_STEP;
                for (int p = 0; p < PER_STEP; p++) {
                    owners[base + p] = i;
                }
                System.arraycopy(x, i * size, probes, base * size, size);
                byte[] v = new byte[SAMPLES * size];
                SplittableRandom random = c.random(i);
                for (int q = 0; q < v.length; q++) {
                    v[q] = random.nextBoolean() ? (byte) 1 : (byte) -1;
                }
                drawn[k] = v;
                for (int p = 0; p < SAMPLES; p++) {
                    int plus = (base + 1 + 2 * p) * size;
                    int minus = plus + size;
                    for (int j = 0; j < size; j++) {
                        float xj = x[i * size + j];
                        float step = delta * v[p * size + j];
                        // probes stay valid images: the model never saw values outside [-1, 1], and on the
                        // background (at -1) an unclipped probe would measure a direction no step can take
                        probes[plus + j] = Math.min(Math.max(xj + step, -1f), 1f);
                        probes[minus + j] = Math.min(Math.max(xj - step, -1f), 1f);
                    }
                }
            }
            float[] logits = c.model(owners).logits(probes, owners.length);
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                int base = k * PER_STEP;
                if (c.reached(i, logits[base])) {
                    working[i] = false;
                    continue;
                }
                float label = c.labels()[i];
                java.util.Arrays.fill(gradient, 0f);
                byte[] v = drawn[k];
                for (int p = 0; p < SAMPLES; p++) {
                    float difference = Logits.margin(logits[base + 1 + 2 * p], label)
                            - Logits.margin(logits[base + 2 + 2 * p], label);
                    float scale = difference / (2 * delta * SAMPLES);
                    for (int j = 0; j < size; j++) {
                        gradient[j] += scale * v[p * size + j]; // 1/v = v for v = ±1
                    }
                }
                adam.step(i, x, gradient, 0, learningRate);
            }
            c.ball().project(x, c.originals());
        }
        return x;
    }
}
