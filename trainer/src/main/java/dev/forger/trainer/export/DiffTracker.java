package dev.forger.trainer.export;

import java.util.function.IntFunction;

/** Accumulates element-wise differences into a {@link Comparison}, remembering the worst one. */
final class DiffTracker {
    private final String name;
    private final String reference;
    private long compared;
    private long skipped;
    private double maxAbsDiff;
    private double worstRatio = -1;
    private double worstDiff = Double.NaN;
    private double worstLimit = Double.NaN;
    private String worstWhere = "-";

    DiffTracker(String name, String reference) {
        this.name = name;
        this.reference = reference;
    }

    /** Compares one value; NaN on either side counts as infinitely wrong. */
    void add(double actual, double expected, double limit, String where) {
        double diff = Math.abs(actual - expected);
        if (Double.isNaN(diff)) {
            diff = Double.POSITIVE_INFINITY;
        }
        compared++;
        maxAbsDiff = Math.max(maxAbsDiff, diff);
        double ratio = diff / limit;
        if (ratio > worstRatio) {
            worstRatio = ratio;
            worstDiff = diff;
            worstLimit = limit;
            worstWhere = where;
        }
    }

    /** Compares whole arrays under one limit; {@code where} names element i. */
    void addAll(float[] actual, float[] expected, double limit, IntFunction<String> where) {
        if (actual.length != expected.length) {
            mismatch(actual.length + " values where the reference has " + expected.length);
            return;
        }
        for (int i = 0; i < actual.length; i++) {
            add(actual[i], expected[i], limit, where.apply(i));
        }
    }

    /** Records that the values could not be compared at all (e.g. shapes differ): the check fails. */
    void mismatch(String why) {
        compared = 0;
        worstWhere = why;
    }

    long compared() {
        return compared;
    }

    void skip() {
        skipped++;
    }

    Comparison result() {
        return new Comparison(name, reference, compared, skipped, maxAbsDiff, worstDiff, worstLimit, worstWhere);
    }
}
