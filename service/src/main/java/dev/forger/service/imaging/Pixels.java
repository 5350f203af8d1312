package dev.forger.service.imaging;

/**
 * The one mapping between 8-bit pixels and model values (DESIGN.md "Tensor conventions"):
 * {@code x = p / 127.5 - 1} and back {@code p = round((x + 1) * 127.5)}; uint8 to float to uint8 is exact.
 */
public final class Pixels {
    private Pixels() {}

    public static float toModel(int pixel) {
        return pixel / 127.5f - 1f;
    }

    /** Clamps first, so a generator's slightly-out-of-range tanh output still maps to 0..255. */
    public static int toPixel(float value) {
        float clamped = value < -1f ? -1f : Math.min(value, 1f);
        return Math.round((clamped + 1f) * 127.5f);
    }

    /** Each model value moved to the nearest of the 256 grey levels an 8-bit pixel can hold, in place. */
    public static void roundToGreyLevels(float[] values) {
        for (int j = 0; j < values.length; j++) {
            values[j] = toModel(toPixel(values[j]));
        }
    }
}
