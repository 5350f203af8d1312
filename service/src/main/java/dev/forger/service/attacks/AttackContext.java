package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Everything one attack run sees: the originals still to attack (packed; not to be modified), their BCE
 * targets, the resolved parameters in model units, the ε-ball, one seeded random stream and the model,
 * counted per image.
 */
public final class AttackContext {
    private final CountingAttackModel counting;
    private final int[] runIndices;
    private final float[] originals;
    private final float[] labels;
    private final AttackParameters parameters;
    private final ImageShape shape;
    private final SplittableRandom random;
    private final SplittableRandom[] imageRandoms;
    private final EpsilonBall ball;
    private final AttackModel all;

    /**
     * @param runIndices for each image here, its index in the counting model's run
     * @param labels     per image, the BCE target to descend towards: 0 = fake, 1 = real
     */
    public AttackContext(CountingAttackModel counting, int[] runIndices, float[] originals, float[] labels,
                         AttackParameters parameters, ImageShape shape) {
        this(counting, runIndices, originals, labels, parameters, shape, AttackSpace.pixel(shape));
    }

    /**
     * A run in any {@link AttackSpace}: the points are latents or images, {@code shape} the images' (null
     * when no attack of the run needs it: only square draws image-shaped patterns).
     */
    public AttackContext(CountingAttackModel counting, int[] runIndices, float[] originals, float[] labels,
                         AttackParameters parameters, ImageShape shape, AttackSpace space) {
        this(counting, runIndices, originals, labels, parameters, shape, EpsilonBall.forRun(parameters, space),
                new SplittableRandom(parameters.seed()), imageStreams(parameters.seed(), originals, space.size()));
    }

    private AttackContext(CountingAttackModel counting, int[] runIndices, float[] originals, float[] labels,
                          AttackParameters parameters, ImageShape shape, EpsilonBall ball, SplittableRandom random,
                          SplittableRandom[] imageRandoms) {
        this.counting = counting;
        this.runIndices = runIndices.clone();
        this.originals = originals;
        this.labels = labels;
        this.parameters = parameters;
        this.shape = shape;
        this.random = random;
        this.imageRandoms = imageRandoms;
        this.ball = ball;
        this.all = counting.charging(this.runIndices);
        if (originals.length != runIndices.length * ball.space().size() || labels.length != runIndices.length) {
            throw new IllegalArgumentException("context of " + runIndices.length + " images with "
                    + originals.length + " floats and " + labels.length + " labels");
        }
    }

    public int count() {
        return runIndices.length;
    }

    public ImageShape shape() {
        return shape;
    }

    /** Floats per point: an image's C·H·W, or the latent's dimension. */
    public int imageSize() {
        return ball.space().size();
    }

    public AttackSpace space() {
        return ball.space();
    }

    /** The images to attack, packed NCHW; shared, never modify. */
    public float[] originals() {
        return originals;
    }

    /** Per image, the BCE target: 0 (goal fake) or 1 (goal real). */
    public float[] labels() {
        return labels;
    }

    public boolean reached(int image, float logit) {
        return Goal.reached(labels[image], logit);
    }

    public AttackParameters parameters() {
        return parameters;
    }

    /** ε in model units: the ball's radius (whole grey levels for L∞ with 8-bit results, see {@link EpsilonBall#forRun}). */
    public float epsilon() {
        return ball.radius();
    }

    /** The step size in model units. */
    public float stepSize() {
        return (float) (ball.space().unitsPerReported() * parameters.stepSize());
    }

    public EpsilonBall ball() {
        return ball;
    }

    /** The run's one random stream, seeded with the parameters' seed. */
    public SplittableRandom random() {
        return random;
    }

    /**
     * Image {@code image}'s own random stream, seeded with the parameters' seed and the image's pixels
     * ({@link ImageSeeds}): what an attack draws for an image from it does not depend on which other images
     * share the batch, their order, or how an evaluation cut the images into units. The ensemble relies on
     * it: a member run on the images still unbroken treats each exactly as it would alone.
     */
    public SplittableRandom random(int image) {
        return imageRandoms[image];
    }

    private static SplittableRandom[] imageStreams(long seed, float[] points, int size) {
        SplittableRandom[] streams = new SplittableRandom[size == 0 ? 0 : points.length / size];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = new SplittableRandom(ImageSeeds.of(seed, points, i * size, size));
        }
        return streams;
    }

    /** The model for calls on all {@link #count()} images, in order. */
    public AttackModel model() {
        return all;
    }

    /** The model for calls whose i-th packed image belongs to image {@code owners[i]} of this context. */
    public AttackModel model(int[] owners) {
        int[] run = new int[owners.length];
        for (int k = 0; k < owners.length; k++) {
            run[k] = runIndices[owners[k]];
        }
        return counting.charging(run);
    }

    /** Logits and BCE gradients towards each image's target, all images. */
    public LogitsAndGradients gradients(float[] images) {
        return all.gradients(images, labels, count());
    }

    /** Logits and BCE gradients for the images {@code which} (packed in that order). */
    public LogitsAndGradients gradients(float[] packed, int[] which) {
        return model(which).gradients(packed, Batch.gather(labels, which), which.length);
    }

    /** Logits of all images. */
    public float[] logits(float[] images) {
        return all.logits(images, count());
    }

    /**
     * The image as the client will get it: rounded to 8 bits when the run quantizes, else {@code x} itself.
     * Minimal-perturbation attacks judge success on this, so that rounding cannot undo a flip they found.
     */
    public float[] asReturned(float[] x) {
        if (!parameters.quantize() || !ball.space().gridded()) {
            return x;
        }
        return GreyLevels.rounded(x);
    }

    /**
     * A run of another attack inside this one (a search's trial) on the images {@code which} of this context,
     * each in its own ball of {@code ball}: same parameters, counting and random streams (the run's and each
     * point's own, which go on where they were).
     */
    public AttackContext within(int[] which, EpsilonBall ball) {
        int[] run = new int[which.length];
        SplittableRandom[] streams = new SplittableRandom[which.length];
        for (int k = 0; k < which.length; k++) {
            run[k] = runIndices[which[k]];
            streams[k] = imageRandoms[which[k]];
        }
        return new AttackContext(counting, run, Batch.gather(originals, which, imageSize()), Batch.gather(labels, which),
                parameters, shape, ball, random, streams);
    }

    /** Attacks call this once per step. */
    public void checkCancelled() {
        if (Thread.interrupted()) {
            throw new CancellationException("attack interrupted");
        }
    }
}
