package dev.forger.service.robustness;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The on/off-manifold report: for the same generated digits, the smallest pixel ε (off the manifold) and the
 * smallest latent δ (on it) that change the discriminator's verdict and, with a classifier, the digit. One
 * {@link Search} per search run, each with per image the budget found (null: none within the bound) and how
 * far, in pixels, the image at that point is from G(z) — the one scale both threat models share.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifoldReport(String model, RobustnessReport.ImageSource images, String norm, List<Search> searches) {

    /**
     * One search over all images. {@code successRate} counts the images whose verdict changed within the bound
     * among those not already at the goal; medians are over the images where a budget was found.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Search(String space, String goal, String label, double bound, double successRate, Double medianBudget,
                         Double medianPixelL2, Double medianPixelLinf, List<Double> budgets, List<Double> pixelL2,
                         double meanGradientCalls, long elapsedMs) {}

    /** The summary of one search from its rows, in image order. */
    public static Search summarise(ManifoldSearch search, List<ManifoldRow> rows, long elapsedMs) {
        List<Double> budgets = new ArrayList<>(rows.size());
        List<Double> pixelL2 = new ArrayList<>(rows.size());
        List<Double> pixelLinf = new ArrayList<>();
        int attacked = 0;
        int changed = 0;
        double calls = 0;
        for (ManifoldRow row : rows) {
            budgets.add(row.budget());
            pixelL2.add(row.pixelL2());
            if (row.pixelLinf() != null) {
                pixelLinf.add(row.pixelLinf());
            }
            if (!row.alreadyAtGoal()) {
                attacked++;
                changed += row.success() ? 1 : 0;
            }
            calls += row.gradientCalls();
        }
        return new Search(search.space(), search.goal(), search.label(), search.bound(),
                attacked == 0 ? 0 : (double) changed / attacked, median(budgets), median(pixelL2),
                median(pixelLinf), budgets, pixelL2, rows.isEmpty() ? 0 : calls / rows.size(), elapsedMs);
    }

    private static Double median(List<Double> values) {
        double[] found = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        return found.length == 0 ? null : Statistics.median(found);
    }
}
