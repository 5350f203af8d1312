package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Means and medians over an attack's per-image outcomes. */
final class Statistics {
    private Statistics() {}

    static double mean(List<ImageOutcome> results, ToDoubleFunction<ImageOutcome> value) {
        return results.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    static double median(List<ImageOutcome> results, ToDoubleFunction<ImageOutcome> value) {
        return median(results.stream().mapToDouble(value).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double successRate(List<ImageOutcome> results) {
        return mean(results, r -> r.success() ? 1 : 0);
    }
}
