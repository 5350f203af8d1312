package dev.forger.trainer.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;

/**
 * Images as the networks see them, kept compactly as 8-bit pixels in NCHW order.
 *
 * <p>Pixels stay uint8 until a batch is taken so that large sets (SVHN's 73k training images)
 * fit in memory; {@link #batch(int[], float[])} maps them to [-1, 1] with
 * {@code x = pixel / 127.5 - 1}, the convention of the whole system.
 *
 * @param source   where the images came from, for manifests and messages
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   image height
 * @param width    image width
 * @param pixels   uint8 pixels, image after image, each in CHW order
 * @param labels   one class label per image (digits 0..9), or -1 where unknown
 */
public record ImageSet(String source, int channels, int height, int width, byte[] pixels, int[] labels) {

    public ImageSet {
        Objects.requireNonNull(source, "source");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        long imageBytes = (long) channels * height * width;
        if (pixels.length % imageBytes != 0 || pixels.length / imageBytes != labels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length / (double) imageBytes
                    + " images but there are " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    public boolean hasLabels() {
        return labels.length > 0 && Arrays.stream(labels).allMatch(l -> l >= 0);
    }

    /** Unsigned 8-bit value of one pixel. */
    public int pixel(int image, int channel, int y, int x) {
        return pixels[image * imageSize() + (channel * height + y) * width + x] & 0xFF;
    }

    /** Writes the given images, as floats in [-1, 1], NCHW, into {@code out} (length ≥ n·C·H·W). */
    public float[] batch(int[] indices, float[] out) {
        int size = imageSize();
        for (int i = 0; i < indices.length; i++) {
            int src = indices[i] * size;
            int dst = i * size;
            for (int p = 0; p < size; p++) {
                out[dst + p] = (pixels[src + p] & 0xFF) / 127.5f - 1f;
            }
        }
        return out;
    }

    /** The images at the given indices, as a new set. */
    public ImageSet subset(int[] indices) {
        int size = imageSize();
        byte[] px = new byte[indices.length * size];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, px, i * size, size);
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(source, channels, height, width, px, lb);
    }

    /**
     * SHA-256 over the shape, pixels and labels (big-endian int32) of the set: tells whether saved statistics or
     * measurements describe exactly these images. The bytes hashed are
     * {@code "CxHxW:N;"} in ASCII, then the uint8 pixels (NCHW), then the labels.
     */
    public String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((channels + "x" + height + "x" + width + ":" + size() + ";").getBytes(StandardCharsets.US_ASCII));
            digest.update(pixels);
            ByteBuffer labelBytes = ByteBuffer.allocate(Integer.BYTES * size());
            labelBytes.asIntBuffer().put(labels);
            digest.update(labelBytes);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A seeded shuffle of the set split into a training part and {@code heldOut} images. */
    public Split split(int heldOut, long seed) {
        if (heldOut < 0 || heldOut >= size()) {
            throw new IllegalArgumentException("cannot hold out " + heldOut + " of " + size() + " images");
        }
        int[] order = permutation(size(), seed);
        int[] heldOutIndices = Arrays.copyOf(order, heldOut);
        return new Split(subset(Arrays.copyOfRange(order, heldOut, order.length)), subset(heldOutIndices),
                heldOutIndices);
    }

    /** A deterministic permutation of 0..n-1 (Fisher–Yates with java.util.Random). */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * A training part and the images held out from it.
     *
     * @param heldOutIndices where each held-out image sits in the split set, in the held-out set's order
     */
    public record Split(ImageSet train, ImageSet heldOut, int[] heldOutIndices) {
    }
}
