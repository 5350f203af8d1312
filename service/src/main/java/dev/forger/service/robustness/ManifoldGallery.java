package dev.forger.service.robustness;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.Rasters;
import dev.forger.service.registry.LoadedModel;
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
        List<List<TileGrid.Cell>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<TileGrid.Cell> row = new ArrayList<>();
            for (Column column : columns) {
                float[] image = column.images().get(i);
                row.add(new TileGrid.Cell(image == null ? null : Rasters.toImage(image, 0, shape), column.labels().get(i)));
            }
            rows.add(row);
        }
        return TileGrid.draw(TileGrid.Style.SMALL, shape, null, columns.stream().map(Column::title).toList(), rows);
    }
}
