package dev.forger.service.oip;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.registry.LoadedModel;
import java.util.concurrent.CompletableFuture;

/**
 * One network of a loaded bundle as the protocol sees it: {@code <bundle>-generator} takes {@code z}
 * [-1, zdim] and answers {@code image} [-1, C, H, W]; {@code <bundle>-discriminator} takes {@code image}
 * [-1, C, H, W] and answers {@code logit} [-1, 1]. All are FP32; the first dimension is the batch.
 * The tensor names are fixed (not the ONNX files' own) so that clients can rely on them for every bundle.
 */
public record OipModel(LoadedModel bundle, Role role) {
    /** The platform reported in model metadata: the runtime that runs the nets. */
    public static final String PLATFORM = "onnxruntime_onnx";

    /** Which of a bundle's networks a protocol model is. */
    public enum Role {
        GENERATOR("generator", "z", "image"),
        DISCRIMINATOR("discriminator", "image", "logit");

        private final String suffix;
        private final String input;
        private final String output;

        Role(String suffix, String input, String output) {
            this.suffix = suffix;
            this.input = input;
            this.output = output;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** The protocol name, {@code <bundle>-generator} or {@code <bundle>-discriminator}. */
    public String name() {
        return nameOf(bundle.name(), role);
    }

    static String nameOf(String bundleName, Role role) {
        return bundleName + "-" + role.suffix;
    }

    /** The bundle's manifest version, the only version each model has. */
    public String version() {
        return bundle.manifest().version();
    }

    public String inputName() {
        return role.input;
    }

    public String outputName() {
        return role.output;
    }

    /** One input item's dimensions, without the batch: [zdim] or [C, H, W]. */
    public long[] inputItemShape() {
        return role == Role.GENERATOR ? new long[] {bundle.latentDim()} : imageDims(bundle.imageShape());
    }

    /** One output item's dimensions, without the batch: [C, H, W] or [1]. */
    public long[] outputItemShape() {
        return role == Role.GENERATOR ? imageDims(bundle.imageShape()) : new long[] {1};
    }

    /** Floats per input item. */
    public int inputItemSize() {
        return role == Role.GENERATOR ? bundle.latentDim() : bundle.imageShape().size();
    }

    /** Floats per output item. */
    public int outputItemSize() {
        return role == Role.GENERATOR ? bundle.imageShape().size() : 1;
    }

    /** Whether inputs are images, which must be finite and in [-1, 1] as everywhere in Forger. */
    public boolean takesImages() {
        return role == Role.DISCRIMINATOR;
    }

    /** Queues {@code count} items on the network's micro-batcher (throws QueueFullException when full). */
    public CompletableFuture<float[]> run(float[] items, int count) {
        return role == Role.GENERATOR ? bundle.generate(items, count) : bundle.score(items, count);
    }

    /** The metadata shape with the batch dimension as -1. */
    public static long[] withBatch(long batch, long[] item) {
        long[] shape = new long[item.length + 1];
        shape[0] = batch;
        System.arraycopy(item, 0, shape, 1, item.length);
        return shape;
    }

    private static long[] imageDims(ImageShape shape) {
        return new long[] {shape.channels(), shape.height(), shape.width()};
    }
}
