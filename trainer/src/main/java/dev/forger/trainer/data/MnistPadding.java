package dev.forger.trainer.data;

/**
 * MNIST's 28x28 digits framed by a black border of 2 pixels, giving 32x32 as LeNet-5 did and as the
 * DCGAN (4 → 8 → 16 → 32) needs. The digits already sit centred in their 28x28 box.
 */
final class MnistPadding {

    static final int BORDER = 2;

    private MnistPadding() {
    }

    static int padded(int side) {
        return side + 2 * BORDER;
    }

    /** Copies one {@code rows x cols} image from {@code src} into a zero-filled padded frame in {@code dst}. */
    static void copyPadded(byte[] src, int srcOffset, int rows, int cols, byte[] dst, int dstOffset) {
        int outCols = padded(cols);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOffset + r * cols, dst, dstOffset + (r + BORDER) * outCols + BORDER, cols);
        }
    }
}
