package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;
import java.util.Arrays;

/**
 * A {@link ClassGoal} as the attack machinery sees a model: one score per point that is positive exactly
 * when the goal is met — for {@code class:k} the logit margin z_k − max_{j≠k} z_j, for
 * {@code class-change} max_{j≠c} z_j − z_c with c the original's class — and the gradient of the goal's
 * objective (cross-entropy towards k, or the logit margin ascended away from c, plus λ · BCE(D, real)).
 * The runner runs it with goal {@link Goal#REAL}, the positive side; the descent attacks follow the
 * gradient, and APGD's step-size schedule and best point follow the objective's value, which gradient calls
 * report beside the scores.
 *
 * <p>Each image has its own class, so the model answers through {@link #forImages} views: the counting
 * layer passes which image of the run each packed point belongs to.
 */
final class ClassGoalModel implements AttackModel {
    private final ClassifierNetworks networks;
    private final ClassGoal goal;
    private final int[] originalClasses;
    private final int[] owners;

    ClassGoalModel(ClassifierNetworks networks, ClassGoal goal, int[] originalClasses) {
        this(networks, goal, originalClasses, null);
    }

    private ClassGoalModel(ClassifierNetworks networks, ClassGoal goal, int[] originalClasses, int[] owners) {
        this.networks = networks;
        this.goal = goal;
        this.originalClasses = originalClasses;
        this.owners = owners;
    }

    @Override
    public AttackModel forImages(int[] owners) {
        return new ClassGoalModel(networks, goal, originalClasses, owners.clone());
    }

    @Override
    public ImageShape imageShape() {
        return networks.imageShape();
    }

    @Override
    public AttackSpace space() {
        return networks.space();
    }

    /** The class each point's score is about: k, or the original's class. */
    private int classOf(int k) {
        int image = owners == null ? k : owners[k];
        return goal.isChange() ? originalClasses[image] : goal.targetClass();
    }

    @Override
    public float[] logits(float[] points, int count) {
        int classes = networks.classes();
        float[] verdicts = networks.verdicts(points, count);
        float[] scores = new float[count];
        for (int k = 0; k < count; k++) {
            scores[k] = score(verdicts, k * (classes + 1), classes, classOf(k));
        }
        return scores;
    }

    @Override
    public LogitsAndGradients gradients(float[] points, float[] labels, int count) {
        int classes = networks.classes();
        int size = networks.space().size();
        int[] targets = new int[count];
        for (int k = 0; k < count; k++) {
            targets[k] = classOf(k);
        }
        float[] weights = new float[count];
        Arrays.fill(weights, goal.isChange() ? -1f : 1f);
        float[] realism = new float[count];
        Arrays.fill(realism, (float) goal.realism());
        float[] out = networks.gradients(points, targets, weights, realism, count, goal.loss());
        int item = classes + 1 + size;
        float[] scores = new float[count];
        float[] gradients = new float[count * size];
        double[] losses = new double[count];
        for (int k = 0; k < count; k++) {
            int at = k * item;
            scores[k] = score(out, at, classes, targets[k]);
            System.arraycopy(out, at + classes + 1, gradients, k * size, size);
            losses[k] = weights[k] * classLoss(out, at, classes, targets[k]) + realism[k] * Logits.bce(out[at + classes], 1);
        }
        return new LogitsAndGradients(scores, gradients, losses);
    }

    /** The goal's class loss of K logits at {@code from}: cross-entropy of class c, or its logit margin. */
    private double classLoss(float[] values, int from, int classes, int c) {
        double max = Double.NEGATIVE_INFINITY;
        double other = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, values[from + j]);
            if (j != c) {
                other = Math.max(other, values[from + j]);
            }
        }
        if (goal.loss() == ClassifierNetworks.ClassLoss.LOGIT_MARGIN) {
            return other - values[from + c];
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(values[from + j] - max);
        }
        return max + Math.log(sum) - values[from + c];
    }

    /** The goal's margin from K logits at {@code from}: positive when met. */
    private float score(float[] values, int from, int classes, int c) {
        float other = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            if (j != c) {
                other = Math.max(other, values[from + j]);
            }
        }
        float margin = values[from + c] - other; // > 0: c wins
        return goal.isChange() ? -margin : margin;
    }
}
