package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link AttackModel} over two micro-batchers: forward calls through the discriminator's, gradient calls
 * through the gradient graph's, whose items are {@code [image | label]} in and {@code [logit | grad]} out
 * (see {@code inference.GradientRunner}). Going through the batchers lets concurrent attacks' steps share
 * ONNX Runtime runs. Calls block on the futures ({@code join}): attacks run on the API's attack threads,
 * never on the event loop. Errors propagate as the batchers raise them (e.g. QueueFullException, or a
 * CompletionException around the run's failure).
 */
public final class BatcherAttackModel implements AttackModel {
    /** What both batchers offer: {@code MicroBatcher::submit}. */
    @FunctionalInterface
    public interface Submitter {
        CompletableFuture<float[]> submit(float[] items, int count);
    }

    private final ImageShape shape;
    private final AttackSpace space;
    private final Submitter forward;
    private final Submitter gradient;

    public BatcherAttackModel(ImageShape shape, Submitter forward, Submitter gradient) {
        this(shape, AttackSpace.pixel(shape), forward, gradient);
    }

    /**
     * The same over points of another space: the latent graphs take {@code [z]} and {@code [z | label]} items
     * and answer {@code [logit]} and {@code [logit | dBCE/dz]} as the pixel ones do for images.
     */
    public BatcherAttackModel(ImageShape shape, AttackSpace space, Submitter forward, Submitter gradient) {
        this.shape = shape;
        this.space = space;
        this.forward = forward;
        this.gradient = gradient;
    }

    @Override
    public ImageShape imageShape() {
        return shape;
    }

    @Override
    public AttackSpace space() {
        return space;
    }

    @Override
    public float[] logits(float[] images, int count) {
        return forward.submit(images, count).join();
    }

    @Override
    public LogitsAndGradients gradients(float[] images, float[] labels, int count) {
        int size = space.size();
        float[] items = new float[count * (size + 1)];
        for (int i = 0, at = 0; i < count; i++, at += size + 1) {
            System.arraycopy(images, i * size, items, at, size);
            items[at + size] = labels[i];
        }
        float[] out = gradient.submit(items, count).join();
        float[] logits = new float[count];
        float[] gradients = new float[count * size];
        for (int i = 0, at = 0; i < count; i++, at += size + 1) {
            logits[i] = out[at];
            System.arraycopy(out, at + 1, gradients, i * size, size);
        }
        return new LogitsAndGradients(logits, gradients);
    }
}
