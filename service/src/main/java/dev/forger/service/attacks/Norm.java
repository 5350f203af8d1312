package dev.forger.service.attacks;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.Locale;

/** The norm that measures (and, for bounded attacks, limits) a perturbation. */
public enum Norm {
    LINF, L2;

    /** "linf" or "l2", any case. */
    public static Norm parse(String text) {
        if (text != null) {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "linf" -> { return LINF; }
                case "l2" -> { return L2; }
                default -> { }
            }
        }
        throw new ClientProblem(ProblemType.INVALID_PARAMETER, "norm",
                "norm must be linf or l2, was '" + text + "'");
    }

    /** The spelling clients use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
