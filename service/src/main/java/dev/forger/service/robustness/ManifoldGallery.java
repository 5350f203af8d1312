package dev.forger.service.robustness;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.Rasters;
import dev.forger.service.registry.LoadedModel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gallery of the on/off-manifold report: per digit one row of G(z) and the images at each search's change
 * point (pixel searches: the perturbed image; latent ones: G(z') at the smallest δ found), each labelled with the
 * budget and the verdicts there. Blank where a search found no change within its bound.
 */
public final class ManifoldGallery {
    private static final int LINE = 13;
    private static final int GAP = 8;
    private static final Color INK = new Color(0x22, 0x22, 0x22);

    /** One column: its title, and per row an image (null: blank) and its label lines. */
    record Column(String title, List<float[]> images, List<String[]> labels) {}

    private ManifoldGallery() {}

    /**
     * @param rows      per search its rows, in the report's order (only the first {@link ManifoldSearch#GALLERY}
     *                  carry their points)
     * @param originals G(z) of the gallery's digits, packed
     */
    public static BufferedImage draw(LoadedModel model, ManifoldReport report, List<List<ManifoldRow>> rows,
                                     float[] originals) {
        ImageShape shape = model.imageShape();
        int size = shape.size();
        int count = originals.length / size;
        List<Column> columns = new ArrayList<>();
        List<float[]> generated = new ArrayList<>();
        List<String[]> generatedLabels = new ArrayList<>();
        List<ManifoldRow> first = rows.get(0);
        for (int i = 0; i < count; i++) {
            generated.add(java.util.Arrays.copyOfRange(originals, i * size, (i + 1) * size));
            ManifoldRow r = first.get(i);
            generatedLabels.add(new String[] {verdict(r.logitBefore(), r.classBefore(), model), ""});
        }
        columns.add(new Column("generated G(z)", generated, generatedLabels));
        for (int s = 0; s < report.searches().size(); s++) {
            ManifoldReport.Search search = report.searches().get(s);
            List<float[]> images = new ArrayList<>();
            List<String[]> labels = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ManifoldRow r = rows.get(s).get(i);
                if (r.budget() == null || r.point() == null) {
                    images.add(null);
                    labels.add(new String[] {r.alreadyAtGoal() ? "already changed" : "none ≤ " + number(search.bound()), ""});
                    continue;
                }
                images.add(search.space().equals("latent") ? model.generate(r.point(), 1).join() : r.point());
                labels.add(new String[] {(search.space().equals("latent") ? "δ " : "ε ") + number(r.budget())
                        + String.format(Locale.ROOT, "  (L2 %.2f)", r.pixelL2()),
                        verdict(r.logitAfter(), r.classAfter(), model)});
            }
            columns.add(new Column(search.label(), images, labels));
        }
        return render(shape, columns, count);
    }

    private static String verdict(float logit, Integer predicted, LoadedModel model) {
        double p = logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
        String d = String.format(Locale.ROOT, "P(real) %.2f", p);
        if (predicted == null) {
            return d;
        }
        List<String> names = model.classNames();
        return (predicted < names.size() ? names.get(predicted) : predicted) + " · " + d;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v < 0.1 ? "%.4f" : "%.3f", v);
    }

    private static BufferedImage render(ImageShape shape, List<Column> columns, int count) {
        int scale = Math.max(1, 64 / Math.max(shape.height(), shape.width()));
        int tileW = shape.width() * scale;
        int tileH = shape.height() * scale;
        int colW = Math.max(tileW, 150);
        int rowH = tileH + 2 * LINE + GAP;
        int width = columns.size() * (colW + GAP) + GAP;
        int height = 2 * LINE + count * rowH;
        BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = figure.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(INK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            for (int c = 0; c < columns.size(); c++) {
                g.drawString(columns.get(c).title(), GAP + c * (colW + GAP), LINE + 2);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int i = 0; i < count; i++) {
                int top = 2 * LINE + i * rowH;
                for (int c = 0; c < columns.size(); c++) {
                    int left = GAP + c * (colW + GAP);
                    float[] image = columns.get(c).images().get(i);
                    if (image != null) {
                        g.drawImage(Rasters.toImage(image, 0, shape), left, top, tileW, tileH, null);
                    }
                    String[] label = columns.get(c).labels().get(i);
                    g.drawString(label[0], left, top + tileH + LINE - 2);
                    g.drawString(label[1], left, top + tileH + 2 * LINE - 2);
                }
            }
        } finally {
            g.dispose();
        }
        return figure;
    }
}
