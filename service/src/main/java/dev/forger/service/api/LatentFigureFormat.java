package dev.forger.service.api;

import java.util.List;
import java.util.Locale;

/** What {@code /generate/walk} and {@code /generate/arithmetic} return ({@link Negotiation}: format, else Accept). */
public enum LatentFigureFormat implements Negotiation.Representation {
    /** One PNG: rows of images. */
    GRID("image/png"),
    /** The arithmetic's result alone, as PNG. */
    PNG("image/png"),
    /** A looping animation of a walk. */
    GIF("image/gif"),
    /** float32 [N, C, H, W] in [-1, 1]. */
    NPY("application/x-npy");

    final String mediaType;

    LatentFigureFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    @Override
    public String mediaType() {
        return mediaType;
    }

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LatentFigureFormat forWalk(String format, String accept) {
        LatentFigureFormat chosen = Negotiation.choose(format, accept, LatentFigureFormat.class,
                List.of(GRID, GIF, NPY), "/generate/walk");
        if (chosen == PNG) {
            throw new dev.forger.service.problem.ClientProblem(dev.forger.service.problem.ProblemType.INVALID_PARAMETER,
                    "format", "a walk is a grid, a gif or an npy; format=png is the arithmetic's result alone");
        }
        return chosen;
    }

    static LatentFigureFormat forArithmetic(String format, String accept) {
        LatentFigureFormat chosen = Negotiation.choose(format, accept, LatentFigureFormat.class,
                List.of(GRID, NPY), "/generate/arithmetic");
        if (chosen == GIF) {
            throw new dev.forger.service.problem.ClientProblem(dev.forger.service.problem.ProblemType.INVALID_PARAMETER,
                    "format", "arithmetic answers grid, png or npy; format=gif animates a walk (/generate/walk)");
        }
        return chosen;
    }
}
