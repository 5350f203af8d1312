package dev.forger.service.imaging;

/** The shape of one image, channels-first: C x H x W. */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, was " + height + "x" + width);
        }
    }

    /** Floats in one image. */
    public int size() {
        return channels * height * width;
    }

    /** For messages: {@code 1x32x32}. */
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
