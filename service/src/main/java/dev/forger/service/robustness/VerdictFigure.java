package dev.forger.service.robustness;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.Rasters;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figure of a {@link ThreatOutcome}: per image one row of the original (for latent attacks the generated
 * digit G(z)), the difference (amplified to the full grey range, mid-grey = unchanged) and the returned image,
 * each image labelled with the classifier's verdict (when the bundle has one) and the discriminator's P(real),
 * the returned one marked ✓ or ✗ for the goal. The picture of unrestricted adversarial digits: a different
 * digit to the classifier, still real to the discriminator. Laid out by {@link TileGrid}.
 */
public final class VerdictFigure {

    private VerdictFigure() {}

    /** @param classNames the classifier's class names (may be empty), @param title what was attacked and how */
    public static BufferedImage draw(ThreatOutcome outcome, ImageShape shape, List<String> classNames, String title) {
        int size = shape.size();
        List<List<TileGrid.Cell>> rows = new ArrayList<>();
        for (int i = 0; i < outcome.count(); i++) {
            float[] difference = new float[size];
            float max = 0;
            for (int k = 0; k < size; k++) {
                difference[k] = outcome.adversarialImages()[i * size + k] - outcome.originalImages()[i * size + k];
                max = Math.max(max, Math.abs(difference[k]));
            }
            float gain = max == 0 ? 1 : 1 / max;
            for (int k = 0; k < size; k++) {
                difference[k] *= gain;
            }
            boolean success = outcome.outcome().results().get(i).success();
            rows.add(List.of(
                    new TileGrid.Cell(Rasters.toImage(outcome.originalImages(), i * size, shape),
                            classLine(outcome.before(), i, classNames), realLine(outcome.before(), i)),
                    new TileGrid.Cell(Rasters.toImage(difference, 0, shape),
                            String.format(Locale.ROOT, "×%.0f  pixel L∞ %.3f", gain, outcome.pixelLinf()[i]),
                            String.format(Locale.ROOT, "pixel L2 %.2f", outcome.pixelL2()[i])),
                    new TileGrid.Cell(Rasters.toImage(outcome.adversarialImages(), i * size, shape),
                            success ? TileGrid.SUCCESS : TileGrid.FAILURE, classLine(outcome.after(), i, classNames),
                            realLine(outcome.after(), i) + (success ? "  ✓" : "  ✗"))));
        }
        boolean latent = outcome.threat().latent();
        return TileGrid.draw(TileGrid.Style.LARGE, shape, title, List.of(latent ? "generated G(z)" : "original",
                "difference", latent ? "adversarial G(z')" : "adversarial"), rows);
    }

    private static String classLine(Verdicts v, int i, List<String> names) {
        if (!v.hasClasses()) {
            return "";
        }
        int c = v.classes()[i];
        String name = c < names.size() ? names.get(c) : String.valueOf(c);
        return String.format(Locale.ROOT, "classifier: %s (%.2f)", name, v.classProbabilities()[i]);
    }

    private static String realLine(Verdicts v, int i) {
        return String.format(Locale.ROOT, "D: P(real) %.3f", v.realProbability(i));
    }
}
