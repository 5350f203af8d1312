package dev.forger.service.robustness;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.Rasters;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The figure of a {@link ThreatOutcome}: per image one row of the original (for latent attacks the generated
 * digit G(z)), the difference (amplified to the full grey range, mid-grey = unchanged) and the returned image,
 * each image labelled with the classifier's verdict (when the bundle has one) and the discriminator's P(real),
 * the returned one marked ✓ or ✗ for the goal. The picture of unrestricted adversarial digits: a different
 * digit to the classifier, still real to the discriminator. Java2D, as {@link AttackFigure}.
 */
public final class VerdictFigure {
    private static final int LINE = 14;
    private static final int GAP = 8;
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color SUCCESS = new Color(0x1b, 0x7f, 0x3b);
    private static final Color FAILURE = new Color(0xb0, 0x2a, 0x2a);

    private VerdictFigure() {}

    /** @param classNames the classifier's class names (may be empty), @param title what was attacked and how */
    public static BufferedImage draw(ThreatOutcome outcome, ImageShape shape, List<String> classNames, String title) {
        int scale = Math.max(1, 96 / Math.max(shape.height(), shape.width()));
        int tileW = shape.width() * scale;
        int tileH = shape.height() * scale;
        int colW = Math.max(tileW, 170);
        int rowH = tileH + 2 * LINE + GAP;
        int count = outcome.count();
        int width = 3 * colW + 4 * GAP;
        int height = 3 * LINE + GAP + count * rowH;
        BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = figure.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(INK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(title, GAP, LINE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            String[] titles = {outcome.threat().latent() ? "generated G(z)" : "original", "difference",
                    outcome.threat().latent() ? "adversarial G(z')" : "adversarial"};
            for (int c = 0; c < 3; c++) {
                g.drawString(titles[c], GAP + c * (colW + GAP), 2 * LINE + 2);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int top = 3 * LINE;
            int size = shape.size();
            for (int i = 0; i < count; i++) {
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
                BufferedImage[] tiles = {Rasters.toImage(outcome.originalImages(), i * size, shape),
                        Rasters.toImage(difference, 0, shape), Rasters.toImage(outcome.adversarialImages(), i * size, shape)};
                boolean success = outcome.outcome().results().get(i).success();
                String[][] labels = {
                        {classLine(outcome.before(), i, classNames), realLine(outcome.before(), i)},
                        {String.format(Locale.ROOT, "×%.0f  pixel L∞ %.3f", gain, outcome.pixelLinf()[i]),
                                String.format(Locale.ROOT, "pixel L2 %.2f", outcome.pixelL2()[i])},
                        {classLine(outcome.after(), i, classNames), realLine(outcome.after(), i) + (success ? "  ✓" : "  ✗")}};
                for (int c = 0; c < 3; c++) {
                    int left = GAP + c * (colW + GAP);
                    g.drawImage(tiles[c], left, top, tileW, tileH, null);
                    g.setColor(c == 2 ? (success ? SUCCESS : FAILURE) : INK);
                    g.drawString(labels[c][0], left, top + tileH + LINE - 2);
                    g.drawString(labels[c][1], left, top + tileH + 2 * LINE - 2);
                }
                top += rowH;
            }
        } finally {
            g.dispose();
        }
        return figure;
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
