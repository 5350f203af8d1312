package dev.forger.service.imaging;

/**
 * Resizes model-space planes: bilinear when enlarging, area averaging when shrinking (bilinear
 * alone would alias a large photo down to 32x32).
 *
 * <p>Hand-written because Java2D's scaling converts grey images through sRGB gamma and back,
 * which shifts the values the discriminator sees; this works on the floats directly.
 */
public final class Resampler {
    private Resampler() {}

    /** Resizes every channel of one image from {@code from}'s size to {@code height x width}. */
    public static float[] resize(float[] image, ImageShape from, int height, int width) {
        int plane = height * width;
        float[] out = new float[from.channels() * plane];
        for (int c = 0; c < from.channels(); c++) {
            int srcOffset = c * from.height() * from.width();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[c * plane + y * width + x] = sample(image, srcOffset, from, y, x, height, width);
                }
            }
        }
        return out;
    }

    private static float sample(float[] src, int offset, ImageShape from, int y, int x, int height, int width) {
        double sy = (double) from.height() / height;
        double sx = (double) from.width() / width;
        if (sy > 1 || sx > 1) {
            return areaAverage(src, offset, from, y * sy, (y + 1) * sy, x * sx, (x + 1) * sx);
        }
        // pixel centres: target pixel y covers source coordinate (y + 0.5) * sy - 0.5
        double fy = Math.max(0, (y + 0.5) * sy - 0.5);
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int y0 = Math.min((int) fy, from.height() - 1);
        int x0 = Math.min((int) fx, from.width() - 1);
        int y1 = Math.min(y0 + 1, from.height() - 1);
        int x1 = Math.min(x0 + 1, from.width() - 1);
        double wy = fy - y0;
        double wx = fx - x0;
        int w = from.width();
        double top = src[offset + y0 * w + x0] * (1 - wx) + src[offset + y0 * w + x1] * wx;
        double bottom = src[offset + y1 * w + x0] * (1 - wx) + src[offset + y1 * w + x1] * wx;
        return (float) (top * (1 - wy) + bottom * wy);
    }

    /** Mean of the source over the box [y0, y1) x [x0, x1), weighting partly covered pixels. */
    private static float areaAverage(float[] src, int offset, ImageShape from,
                                     double y0, double y1, double x0, double x1) {
        double sum = 0;
        double area = 0;
        for (int sy = (int) y0; sy < Math.min(Math.ceil(y1), from.height()); sy++) {
            double hy = Math.min(y1, sy + 1) - Math.max(y0, sy);
            for (int sx = (int) x0; sx < Math.min(Math.ceil(x1), from.width()); sx++) {
                double wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
                sum += src[offset + sy * from.width() + sx] * hy * wx;
                area += hy * wx;
            }
        }
        return (float) (sum / area);
    }
}
