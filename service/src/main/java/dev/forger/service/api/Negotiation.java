package dev.forger.service.api;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one rule every endpoint with several representations follows: the {@code format} parameter
 * first; without it the Accept header, by RFC 9110 content negotiation (each offered representation
 * takes the q of the most specific media range that matches it; the highest q wins, ties go to the
 * endpoint's order of preference); without either, the endpoint's first offer.
 */
final class Negotiation {
    private Negotiation() {}

    /** A representation an endpoint can answer with. */
    interface Representation {
        String mediaType();
    }

    /**
     * @param offered what the Accept header may choose, the endpoint's default first (a format reachable only
     *                through the parameter, such as /attack's figure, is left out)
     * @param endpoint names the endpoint in the 406 problem, e.g. /attack
     */
    static <F extends Enum<F> & Representation> F choose(String format, String accept, Class<F> type,
                                                         List<F> offered, String endpoint) {
        if (format != null && !format.isBlank()) {
            return Params.oneOf("format", format, type);
        }
        if (accept == null || accept.isBlank()) {
            return offered.get(0);
        }
        List<Range> ranges = parse(accept);
        F best = null;
        double bestQ = 0;
        for (F candidate : offered) {
            double q = quality(ranges, candidate.mediaType());
            if (q > bestQ) {
                best = candidate;
                bestQ = q;
            }
        }
        if (best == null) {
            throw new ClientProblem(ProblemType.NOT_ACCEPTABLE, "Accept", endpoint + " answers "
                    + offered.stream().map(Representation::mediaType).distinct().collect(Collectors.joining(", "))
                    + "; got Accept: " + accept + " (or choose with format=" + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|")) + ")");
        }
        return best;
    }

    /** One media range of an Accept header: type/subtype (either may be *) and its q. */
    private record Range(String type, String subtype, double q) {
        /** 2 for type/subtype, 1 for type/*, 0 for *&#47;*, -1 when it does not match. */
        int specificity(String mediaType) {
            int slash = mediaType.indexOf('/');
            String t = mediaType.substring(0, slash);
            String s = mediaType.substring(slash + 1);
            if (type.equals("*")) {
                return 0;
            }
            if (!type.equals(t)) {
                return -1;
            }
            if (subtype.equals("*")) {
                return 1;
            }
            return subtype.equals(s) ? 2 : -1;
        }
    }

    private static double quality(List<Range> ranges, String mediaType) {
        int bestSpecificity = -1;
        double q = 0;
        for (Range range : ranges) {
            int specificity = range.specificity(mediaType);
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = range.q();
            }
        }
        return q;
    }

    private static List<Range> parse(String accept) {
        List<Range> ranges = new ArrayList<>();
        for (String element : accept.split(",")) {
            String[] parts = element.split(";");
            String mediaRange = parts[0].strip().toLowerCase(Locale.ROOT);
            int slash = mediaRange.indexOf('/');
            if (slash <= 0 || slash == mediaRange.length() - 1) {
                continue; // not a media range; RFC 9110 lets a server ignore what it cannot parse
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].strip().split("=", 2);
                if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("q")) {
                    try {
                        q = Math.max(0, Math.min(1, Double.parseDouble(parameter[1].strip())));
                    } catch (NumberFormatException e) {
                        q = 1; // a malformed weight counts as the default
                    }
                }
            }
            ranges.add(new Range(mediaRange.substring(0, slash), mediaRange.substring(slash + 1), q));
        }
        return ranges;
    }
}
