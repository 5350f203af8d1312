package dev.forger.service.imaging;

/**
 * {@code count} images of one shape as float32 NCHW in [-1, 1], packed back to back: the form the
 * networks consume and produce.
 */
public record ImageBatch(ImageShape shape, int count, float[] data) {
    public ImageBatch {
        if (data.length != count * shape.size()) {
            throw new IllegalArgumentException(count + " images of " + shape + " need " + count * shape.size()
                    + " floats, got " + data.length);
        }
    }

    /** Image {@code index} alone, copied. */
    public float[] image(int index) {
        float[] one = new float[shape.size()];
        System.arraycopy(data, index * shape.size(), one, 0, one.length);
        return one;
    }
}
