package dev.forger.service.attacks;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.Locale;

/** Which verdict the adversarial image should get: fake (logit < 0), real (logit > 0), or the opposite of the original's. */
public enum Goal {
    FAKE, REAL, FLIP;

    /** "fake", "real" or "flip", any case. */
    public static Goal parse(String text) {
        if (text != null) {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "fake" -> { return FAKE; }
                case "real" -> { return REAL; }
                case "flip" -> { return FLIP; }
                default -> { }
            }
        }
        throw new ClientProblem(ProblemType.INVALID_PARAMETER, "goal",
                "goal must be fake, real or flip (the default: the opposite of the current verdict), was '" + text + "'");
    }

    /**
     * The BCE target an attack descends towards for an image whose original logit is {@code logit}:
     * 0 (fake) or 1 (real). An original logit of exactly 0 counts as fake, so FLIP aims at real.
     */
    public float label(float originalLogit) {
        return switch (this) {
            case FAKE -> 0f;
            case REAL -> 1f;
            case FLIP -> originalLogit > 0 ? 0f : 1f;
        };
    }

    /** Whether {@code logit} is on the side of the BCE target {@code label}. */
    public static boolean reached(float label, float logit) {
        return label > 0.5f ? logit > 0 : logit < 0;
    }
}
