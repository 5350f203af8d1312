package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;

/**
 * Passes calls through, asserting that every image an attack asks about lies in the ε-ball around its
 * original and in [-1, 1]. The originals are the images of the first call (the runner's first score); later
 * calls must carry the same number of images in the same order (true for goal FLIP, where every image is
 * attacked, and for attacks that always query the whole batch).
 */
final class BallCheckingModel implements AttackModel {
    private final AttackModel model;
    private final Norm norm;
    private final double radius;
    private float[] originals;
    int checkedCalls;

    /** @param epsilon pixel units */
    BallCheckingModel(AttackModel model, Norm norm, double epsilon) {
        this.model = model;
        this.norm = norm;
        this.radius = 2 * epsilon;
    }

    @Override
    public ImageShape imageShape() {
        return model.imageShape();
    }

    @Override
    public float[] logits(float[] images, int count) {
        check(images);
        return model.logits(images, count);
    }

    @Override
    public LogitsAndGradients gradients(float[] images, float[] labels, int count) {
        check(images);
        return model.gradients(images, labels, count);
    }

    private void check(float[] images) {
        if (originals == null) {
            originals = images.clone();
            return;
        }
        if (images.length != originals.length) {
            throw new AssertionError("a call on " + images.length + " floats, the originals have " + originals.length);
        }
        checkedCalls++;
        int size = imageShape().size();
        for (int from = 0; from < images.length; from += size) {
            double sum = 0;
            for (int j = from; j < from + size; j++) {
                if (!(images[j] >= -1f && images[j] <= 1f)) {
                    throw new AssertionError("pixel " + (j - from) + " of image " + from / size + " is " + images[j]);
                }
                double d = images[j] - originals[j];
                if (norm == Norm.LINF && Math.abs(d) > radius * (1 + 1e-6)) {
                    throw new AssertionError("image " + from / size + " leaves the L∞ ball: " + Math.abs(d) + " > " + radius);
                }
                sum += d * d;
            }
            if (norm == Norm.L2 && Math.sqrt(sum) > radius * (1 + 1e-5)) {
                throw new AssertionError("image " + from / size + " leaves the L2 ball: " + Math.sqrt(sum) + " > " + radius);
            }
        }
    }
}
