package dev.forger.service.api;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean …?": the valid name nearest to a misspelled one, for parameters and JSON fields. */
final class Suggestions {
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Suggestions() {}

    /**
     * The valid name closest to {@code given}, ignoring case: one that starts with it or that it starts with
     * ({@code eps} → {@code epsilon}) first, else the fewest single-letter edits ({@code cnt} → {@code count}).
     */
    static Optional<String> nearest(String given, Collection<String> valid) {
        String key = given.toLowerCase(Locale.ROOT);
        return valid.stream().min(Comparator.comparingInt(name -> distance(key, name.toLowerCase(Locale.ROOT))));
    }

    private static int distance(String given, String valid) {
        if (given.equals(valid)) {
            return 0;
        }
        if (!given.isEmpty() && (valid.startsWith(given) || given.startsWith(valid))) {
            return 1;
        }
        return 1 + DISTANCE.apply(given, valid);
    }
}
