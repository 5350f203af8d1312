package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.Rasters;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The picture researchers put in papers: per image one row of original, perturbation (amplified
 * to the full grey range, mid-grey = unchanged) and adversarial, each with the discriminator's
 * verdict, laid out by {@link TileGrid}.
 */
public final class AttackFigure {

    private AttackFigure() {}

    public static BufferedImage draw(ImageBatch originals, ImageBatch adversarial, List<ImageOutcome> results,
                                     String method) {
        ImageShape shape = originals.shape();
        List<List<TileGrid.Cell>> rows = new ArrayList<>();
        for (ImageOutcome r : results) {
            int i = r.index();
            float[] perturbation = perturbation(originals, adversarial, i);
            double amplification = amplification(perturbation);
            rows.add(List.of(
                    new TileGrid.Cell(Rasters.toImage(originals, i), verdict(r.originalProbability())),
                    new TileGrid.Cell(toGrey(perturbation, amplification, shape),
                            String.format(Locale.ROOT, "×%.0f  L∞ %.3f  L2 %.2f", amplification, r.linf(), r.l2())),
                    new TileGrid.Cell(Rasters.toImage(adversarial, i), r.success() ? TileGrid.SUCCESS : TileGrid.FAILURE,
                            verdict(r.adversarialProbability()) + (r.success() ? "  ✓" : "  ✗"))));
        }
        return TileGrid.draw(TileGrid.Style.LARGE, shape, null,
                List.of("original", "perturbation (" + method + ")", "adversarial"), rows);
    }

    /** Three decimals, or four right at the boundary, where a flip can hide in the rounding. */
    private static String verdict(double realProbability) {
        return String.format(Locale.ROOT, Math.abs(realProbability - 0.5) < 0.005 ? "D(x) = %.4f" : "D(x) = %.3f",
                realProbability);
    }

    /** Adversarial minus original of image {@code i}, in pixel units of [0, 1]. */
    private static float[] perturbation(ImageBatch originals, ImageBatch adversarial, int i) {
        int size = originals.shape().size();
        float[] delta = new float[size];
        for (int k = 0; k < size; k++) {
            delta[k] = (adversarial.data()[i * size + k] - originals.data()[i * size + k]) / 2f;
        }
        return delta;
    }

    /** The factor that stretches the largest change to half the grey range; 1 for no change. */
    private static double amplification(float[] delta) {
        float max = 0;
        for (float d : delta) {
            max = Math.max(max, Math.abs(d));
        }
        return max == 0 ? 1 : 0.5 / max;
    }

    private static BufferedImage toGrey(float[] delta, double amplification, ImageShape shape) {
        float[] model = new float[delta.length];
        for (int k = 0; k < delta.length; k++) {
            model[k] = (float) (2 * delta[k] * amplification); // mid-grey (0 in model units) = unchanged
        }
        return Rasters.toImage(model, 0, shape);
    }
}
