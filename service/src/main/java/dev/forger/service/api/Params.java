package dev.forger.service.api;

import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parses query and form parameters by hand rather than through JAX-RS conversion, which answers a
 * malformed number with a bare 404; here the client learns which field and what is allowed.
 */
final class Params {
    private Params() {}

    static int intIn(String field, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be a whole number from "
                    + min + " to " + max + ", got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be from " + min + " to "
                    + max + ", got " + parsed + (parsed > max ? " (the limit is forger.limits.max-count;"
                    + " split the request)" : ""));
        }
        return (int) parsed;
    }

    /**
     * A whole number in [min, max], or the default when absent.
     *
     * @param overMax what to say when the value is above max: the limit's name and the way around it
     */
    static long longIn(String field, String value, long defaultValue, long min, long max, String overMax) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be a whole number from "
                    + min + " to " + max + ", got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be from " + min + " to "
                    + max + ", got " + parsed + (parsed > max ? " (" + overMax + ")" : ""));
        }
        return parsed;
    }

    static Long optionalLong(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field
                    + " must be a whole number (a 64-bit integer), got '" + value + "'");
        }
    }

    /** The {@code resize} parameter: false (refuse), true/scale (rescale) or pad; see {@link ResizeMode#parse}. */
    static ResizeMode resize(String field, String value) {
        return ResizeMode.parse(value).orElseThrow(() -> new ClientProblem(ProblemType.INVALID_PARAMETER, field,
                field + " must be false (refuse other sizes), true or scale (rescale to the model's size) or pad"
                        + " (centre smaller images on black), got '" + value + "'"));
    }

    static boolean bool(String field, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field
                    + " must be true or false, got '" + value + "'");
        };
    }

    static Double optionalDouble(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be a number, got '"
                    + value + "'");
        }
        if (!Double.isFinite(parsed)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be finite, got " + value);
        }
        return parsed;
    }

    static Integer optionalInt(String field, String value) {
        Long parsed = optionalLong(field, value);
        if (parsed != null && (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " is out of range: " + parsed);
        }
        return parsed == null ? null : parsed.intValue();
    }

    static Boolean optionalBool(String field, String value) {
        return value == null || value.isBlank() ? null : bool(field, value);
    }

    /** One of an enum's constants by its lower-case name, e.g. {@code format=grid}. */
    static <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")) + ", got '" + value + "'");
        }
    }
}
