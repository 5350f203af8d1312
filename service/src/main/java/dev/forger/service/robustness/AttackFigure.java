package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.imaging.ImageBatch;
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
 * The picture researchers put in papers: per image one row of original, perturbation (amplified
 * to the full grey range, mid-grey = unchanged) and adversarial, each with the discriminator's
 * verdict. Drawn with Java2D: a few tiles and labels need no plotting library.
 */
public final class AttackFigure {
    private static final int LABEL = 16;
    private static final int GAP = 8;
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color SUCCESS = new Color(0x1b, 0x7f, 0x3b);
    private static final Color FAILURE = new Color(0xb0, 0x2a, 0x2a);

    private AttackFigure() {}

    public static BufferedImage draw(ImageBatch originals, ImageBatch adversarial, List<ImageOutcome> results,
                                     String method) {
        ImageShape shape = originals.shape();
        int scale = Math.max(1, 96 / Math.max(shape.height(), shape.width()));
        int tileW = shape.width() * scale;
        int tileH = shape.height() * scale;
        int colW = Math.max(tileW, 170);
        int rowH = tileH + LABEL + GAP;
        int width = 3 * colW + 4 * GAP;
        int height = 2 * LABEL + GAP + results.size() * rowH;
        BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = figure.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.setColor(INK);
            String[] titles = {"original", "perturbation (" + method + ")", "adversarial"};
            for (int c = 0; c < 3; c++) {
                g.drawString(titles[c], GAP + c * (colW + GAP), LABEL + 2);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int top = 2 * LABEL;
            for (ImageOutcome r : results) {
                int i = r.index();
                float[] perturbation = perturbation(originals, adversarial, i);
                double amplification = amplification(perturbation);
                BufferedImage[] tiles = {Rasters.toImage(originals, i), toGrey(perturbation, amplification, shape),
                        Rasters.toImage(adversarial, i)};
                String[] labels = {verdict(r.originalProbability()),
                        String.format(Locale.ROOT, "×%.0f  L∞ %.3f  L2 %.2f", amplification, r.linf(), r.l2()),
                        verdict(r.adversarialProbability()) + (r.success() ? "  ✓" : "  ✗")};
                for (int c = 0; c < 3; c++) {
                    int left = GAP + c * (colW + GAP);
                    g.drawImage(tiles[c], left, top, tileW, tileH, null);
                    g.setColor(c == 2 ? (r.success() ? SUCCESS : FAILURE) : INK);
                    g.drawString(labels[c], left, top + tileH + LABEL - 3);
                }
                top += rowH;
            }
        } finally {
            g.dispose();
        }
        return figure;
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
