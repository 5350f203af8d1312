package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;

/**
 * Counts model evaluations per image of one attack run, so that no attack has to: every image packed in a
 * call is charged one forward (or gradient) call to the image it belongs to. Not thread-safe: a run is
 * driven by one thread.
 */
public final class CountingAttackModel {
    private final AttackModel model;
    private final int[] forwardCalls;
    private final int[] gradientCalls;
    private final int[] firstGoalCall;
    private final int[] zeroGradientCalls;

    /** @param images how many images the run reports on */
    public CountingAttackModel(AttackModel model, int images) {
        this.model = model;
        this.forwardCalls = new int[images];
        this.gradientCalls = new int[images];
        this.firstGoalCall = new int[images];
        this.zeroGradientCalls = new int[images];
    }

    /**
     * The model as seen by code that packs images of the run in some order: the i-th packed image of
     * every call is charged to image {@code owners[i]} (one owner may appear many times, e.g. for SPSA's
     * probes around one image).
     */
    public AttackModel charging(int[] owners) {
        int[] own = owners.clone();
        AttackModel model = this.model.forImages(own);
        return new AttackModel() {
            @Override
            public ImageShape imageShape() {
                return model.imageShape();
            }

            @Override
            public AttackSpace space() {
                return model.space();
            }

            @Override
            public float[] logits(float[] images, int count) {
                check(count, own);
                float[] logits = model.logits(images, count);
                for (int owner : own) {
                    forwardCalls[owner]++;
                }
                return logits;
            }

            @Override
            public LogitsAndGradients gradients(float[] images, float[] labels, int count) {
                check(count, own);
                LogitsAndGradients result = model.gradients(images, labels, count);
                for (int k = 0; k < own.length; k++) {
                    int owner = own[k];
                    gradientCalls[owner]++;
                    boolean reached = Goal.reached(labels[k], result.logits()[k]);
                    if (firstGoalCall[owner] == 0 && reached) {
                        firstGoalCall[owner] = gradientCalls[owner];
                    }
                    if (!reached && flat(result.gradients(), k, result.gradients().length / count)) {
                        zeroGradientCalls[owner]++;
                    }
                }
                return result;
            }
        };
    }

    private static void check(int count, int[] owners) {
        if (count != owners.length) {
            throw new IllegalArgumentException("a call on " + count + " images through a view of " + owners.length);
        }
    }

    public int forwardCalls(int image) {
        return forwardCalls[image];
    }

    public int gradientCalls(int image) {
        return gradientCalls[image];
    }

    /**
     * The gradient call (1, 2, …) at which an iterate of this image was first on its goal's side, 0 if none
     * was: for an iterative attack, one gradient call per step, so it says at which step the image was first
     * broken — what the robustness report's "still rising at the last step" check reads.
     */
    public int firstGoalCall(int image) {
        return firstGoalCall[image];
    }

    /**
     * The gradient calls whose input gradient for this image was all zero or not finite while the image was not
     * yet on its goal's side: a descent attack learns nothing from them (gradient masking, or a saturated loss).
     */
    public int zeroGradientCalls(int image) {
        return zeroGradientCalls[image];
    }

    private static boolean flat(float[] gradients, int k, int size) {
        boolean zero = true;
        for (int j = k * size, end = j + size; j < end; j++) {
            float g = gradients[j];
            if (!Float.isFinite(g)) {
                return true;
            }
            zero &= g == 0f;
        }
        return zero;
    }
}
