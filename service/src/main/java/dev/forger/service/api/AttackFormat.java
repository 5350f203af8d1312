package dev.forger.service.api;

import java.util.List;

/** What {@code /attack} returns: chosen by {@code format}, else by the Accept header. */
public enum AttackFormat implements Negotiation.Representation {
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

    @Override
    public String mediaType() {
        return mediaType;
    }

    /** The format parameter first, else the Accept header ({@link Negotiation}); figure only by parameter. */
    static AttackFormat choose(String format, String accept) {
        return Negotiation.choose(format, accept, AttackFormat.class, List.of(JSON, NPY, PNG), "/attack");
    }
}
