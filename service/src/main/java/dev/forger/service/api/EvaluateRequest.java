package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON body of {@code POST /evaluate}: generated images and the sweep to run on them. */
@Schema(name = "EvaluateRequest", example = "{\"count\": 64, \"seed\": 7, \"attacks\": [{\"method\": \"fgsm\"},"
        + " {\"method\": \"pgd\", \"steps\": 20}, {\"method\": \"deepfool\"}],"
        + " \"epsilons\": [0.0079, 0.0157, 0.0314, 0.0628], \"goal\": \"flip\"}")
public record EvaluateRequest(
        @Schema(description = "Model name; the default model when absent", example = "mnist-dcgan") String model,
        @Schema(description = "How many images to generate (1 to forger.evaluation.max-images)", example = "64")
        Integer count,
        @Schema(description = "Seed of the generated images and of every attack that sets none", example = "7")
        Long seed,
        @Schema(description = "The attacks, each with the parameters of POST /attack (method, steps, norm, ...), or"
                + " just the method's name for its defaults (\"fgsm\" is {\"method\": \"fgsm\"});"
                + " deepfool and cw run once and report the smallest L2 they need")
        List<AttackQuery> attacks,
        @Schema(description = "The epsilon sweep in pixel units of [0, 1], used by every bounded attack; 8-bit results"
                + " move whole grey levels, floor(255·ε) of them (0.0079 allows 2, 0.0078 only 1); default 1, 2, 4, 8"
                + " and 16 levels (k/255)")
        List<Double> epsilons,
        @Schema(description = "fake, real or flip (default)", example = "flip") String goal,
        @Schema(description = "robustness (default: the attacks over the epsilon sweep) or manifold: for the same"
                + " generated digits, the smallest pixel ε and the smallest latent δ that flip the discriminator (and,"
                + " with a classifier, change the digit), found by bisection", enumeration = {"robustness", "manifold"},
                example = "manifold") String type,
        @Schema(description = "manifold: linf or l2 (default), for both spaces", example = "l2") String norm,
        @Schema(description = "manifold: the largest pixel ε searched, pixel units of [0, 1] (default 3 for L2,"
                + " 0.25 for L∞)", example = "3.0") Double pixelBound,
        @Schema(description = "manifold: the largest latent δ searched, latent units (default 3 for L2, 0.5 for L∞)",
                example = "3.0") Double latentBound,
        @Schema(description = "manifold: Auto-PGD steps per bisection trial (default 50)", example = "50") Integer steps,
        @Schema(description = "manifold: bisection halvings (default 6)", example = "6") Integer searchSteps,
        @Schema(description = "Other models to score every adversarial image on (transferability): the report gets a"
                + " source × target success matrix per attack and epsilon", example = "[\"mnist-dcgan-b\"]")
        List<String> transferTo) {

    public EvaluateRequest(String model, Integer count, Long seed, List<AttackQuery> attacks, List<Double> epsilons,
                           String goal) {
        this(model, count, seed, attacks, epsilons, goal, null, null, null, null, null, null, null);
    }
}
