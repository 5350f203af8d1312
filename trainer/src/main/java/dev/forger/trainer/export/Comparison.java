package dev.forger.trainer.export;

import java.util.Locale;

/**
 * One numeric check of an exported model against an independent reference.
 *
 * @param name        what was compared, e.g. "generator image"
 * @param reference   what it was compared with, e.g. "DL4J output(x, false)"
 * @param compared    number of values compared
 * @param skipped     values left out (finite differences whose step crosses a ReLU/LeakyReLU kink)
 * @param maxAbsDiff  the largest |exported - reference| over all compared values
 * @param worstDiff   |exported - reference| at the value closest to (or furthest over) its limit
 * @param worstLimit  the limit that applied there
 * @param worstWhere  where that value is, e.g. "sample 2, [0, 17, 5]"
 */
public record Comparison(String name, String reference, long compared, long skipped, double maxAbsDiff,
                         double worstDiff, double worstLimit, String worstWhere) {

    /** Every compared value within its limit, and something was compared at all. */
    public boolean passed() {
        return compared > 0 && worstDiff <= worstLimit;
    }

    /** One line: the check, its numbers and its verdict. */
    public String describe() {
        String skip = skipped > 0 ? String.format(Locale.ROOT, " (%d skipped at kinks)", skipped) : "";
        if (compared == 0) {
            return String.format(Locale.ROOT, "%-26s vs %s: nothing compared (%s)%s  FAILED", name, reference,
                    worstWhere, skip);
        }
        return String.format(Locale.ROOT, "%-26s vs %s: %d values%s, max |diff| %.2e; tightest %.2e of limit %.2e at %s  %s",
                name, reference, compared, skip, maxAbsDiff, worstDiff, worstLimit, worstWhere,
                passed() ? "ok" : "FAILED");
    }
}
