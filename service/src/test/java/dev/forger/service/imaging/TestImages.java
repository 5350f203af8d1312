package dev.forger.service.imaging;

import java.util.SplittableRandom;

/** Batches of random 8-bit-grid images for codec tests. */
final class TestImages {
    private TestImages() {}

    /** Every value is on the 8-bit grid, so PNG round trips must be exact. */
    static ImageBatch onPixelGrid(ImageShape shape, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[count * shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = Pixels.toModel(random.nextInt(256));
        }
        return new ImageBatch(shape, count, data);
    }
}
