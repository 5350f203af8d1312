package dev.forger.service.attacks;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.imaging.ImageShape;

/**
 * Where an attack moves its points: the pixels of an image, or the latent vector a generator turns into
 * one. Everything the shared machinery needs to know about it: floats per point, the box every point
 * must stay in, how a model-unit distance is reported, and whether results can be rounded to 8-bit
 * grey levels.
 *
 * <ul>
 *   <li>pixel: C·H·W floats in [-1, 1]; distances (ε) reported in pixel units of [0, 1], half of model
 *       units; results may be rounded to grey levels.</li>
 *   <li>latent: the latent's dimension; the box is the support of a uniform latent ([low, high]) and
 *       unbounded for a normal one; distances (δ) in latent units as they are; no rounding.</li>
 * </ul>
 *
 * @param unitsPerReported model units per reported unit: 2 for pixels, 1 for latents
 */
public record AttackSpace(String name, int size, float low, float high, double unitsPerReported, boolean gridded) {
    public static final String PIXEL = "pixel";
    public static final String LATENT = "latent";

    public static AttackSpace pixel(ImageShape shape) {
        return pixel(shape.size());
    }

    public static AttackSpace pixel(int imageSize) {
        return new AttackSpace(PIXEL, imageSize, -1f, 1f, 2.0, true);
    }

    /** A latent space: uniform latents keep to their support, normal ones are unbounded. */
    public static AttackSpace latent(BundleManifest.Latent latent) {
        boolean uniform = BundleManifest.Latent.UNIFORM.equals(latent.distribution());
        return new AttackSpace(LATENT, latent.dim(),
                uniform ? latent.low().floatValue() : Float.NEGATIVE_INFINITY,
                uniform ? latent.high().floatValue() : Float.POSITIVE_INFINITY, 1.0, false);
    }

    public boolean isLatent() {
        return LATENT.equals(name);
    }

    /** Whether the box bounds the points (false for normal latents). */
    public boolean bounded() {
        return Float.isFinite(low) && Float.isFinite(high);
    }

    /** Clips every value into the box; NaN stays NaN and is caught by the runner. */
    public void clip(float[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Math.min(Math.max(x[j], low), high);
        }
    }
}
