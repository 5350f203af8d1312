package dev.forger.service.api;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;

/** What {@code /attack} returns: chosen by {@code format}, else by the Accept header. */
public enum AttackFormat {
    /** Scores, norms, calls and each adversarial image as base64 PNG. */
    JSON("application/json"),
    /** The adversarial batch as float32 [N, C, H, W]; scores in headers. */
    NPY("application/x-npy"),
    /** The one adversarial image; scores in headers. */
    PNG("image/png"),
    /** One PNG picture: per image the original, the perturbation (amplified) and the result, with scores. */
    FIGURE("image/png");

    final String mediaType;

    AttackFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    static AttackFormat choose(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return Params.oneOf("format", format, AttackFormat.class);
        }
        if (accept == null || accept.isBlank() || accept.contains("application/json")) {
            return JSON;
        }
        if (accept.contains("application/x-npy")) {
            return NPY;
        }
        if (accept.contains("image/png")) {
            return PNG;
        }
        if (accept.contains("*/*") || accept.contains("application/*")) {
            return JSON;
        }
        throw new ClientProblem(ProblemType.NOT_ACCEPTABLE, "Accept", "/attack answers application/json,"
                + " application/x-npy or image/png; got Accept: " + accept + " (or use format=json|npy|png|figure)");
    }
}
