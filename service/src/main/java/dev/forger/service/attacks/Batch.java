package dev.forger.service.attacks;

/** Moving images between a batch and the packed subset of it that is still being worked on. */
final class Batch {
    private Batch() {}

    /** The images at {@code which}, packed in that order. */
    static float[] gather(float[] images, int[] which, int imageSize) {
        float[] packed = new float[which.length * imageSize];
        for (int k = 0; k < which.length; k++) {
            System.arraycopy(images, which[k] * imageSize, packed, k * imageSize, imageSize);
        }
        return packed;
    }

    /** Writes packed image k back to position {@code which[k]}. */
    static void scatter(float[] packed, int[] which, float[] images, int imageSize) {
        for (int k = 0; k < which.length; k++) {
            System.arraycopy(packed, k * imageSize, images, which[k] * imageSize, imageSize);
        }
    }

    static float[] gather(float[] values, int[] which) {
        float[] packed = new float[which.length];
        for (int k = 0; k < which.length; k++) {
            packed[k] = values[which[k]];
        }
        return packed;
    }

    static int[] range(int count) {
        int[] all = new int[count];
        for (int i = 0; i < count; i++) {
            all[i] = i;
        }
        return all;
    }

    /** The indices whose flag is set. */
    static int[] where(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        int[] which = new int[n];
        for (int i = 0, k = 0; i < flags.length; i++) {
            if (flags[i]) {
                which[k++] = i;
            }
        }
        return which;
    }

    /** Copies image i of {@code from} into image i of {@code to}. */
    static void copyImage(float[] from, float[] to, int i, int imageSize) {
        System.arraycopy(from, i * imageSize, to, i * imageSize, imageSize);
    }
}
