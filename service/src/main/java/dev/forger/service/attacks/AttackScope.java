package dev.forger.service.attacks;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.List;
import java.util.Locale;

/**
 * Which attacks run where. Every method runs in pixel space on the discriminator's goals. The steepest-descent
 * methods read nothing but the objective's gradient and the {@link EpsilonBall}, so they also run in latent
 * space and on class goals; deepfool and cw linearise the discriminator's one logit, and spsa and square
 * search the pixel grid, so they stay there.
 */
public final class AttackScope {
    /** The methods that run in latent space and on class goals. */
    public static final List<String> DESCENT = List.of("fgsm", "fgm", "bim", "pgd", "mifgsm", "apgd", "bisection");

    private AttackScope() {}

    /** @throws ClientProblem naming the method and the ones that run in latent space */
    public static void requireLatent(Attack attack) {
        if (!DESCENT.contains(attack.name())) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "method", attack.name() + " runs in pixel space"
                    + " only; in latent space (space=latent) use " + String.join(", ", DESCENT));
        }
    }

    /** @throws ClientProblem naming the method and the ones that run on class goals */
    public static void requireClassGoal(Attack attack, ClassGoal goal) {
        if (!DESCENT.contains(attack.name())) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "method", attack.name() + " attacks the"
                    + " discriminator's verdict only; goal " + goal.label() + " runs with " + String.join(", ", DESCENT));
        }
    }

    /** The space's name as clients write it: pixel (the default) or latent. */
    public static boolean parseLatent(String space) {
        if (space == null || space.isBlank()) {
            return false;
        }
        return switch (space.strip().toLowerCase(Locale.ROOT)) {
            case AttackSpace.PIXEL -> false;
            case AttackSpace.LATENT -> true;
            default -> throw new ClientProblem(ProblemType.INVALID_PARAMETER, "space", "space must be pixel (perturb"
                    + " the image) or latent (perturb the latent z the generator draws it from), was '" + space + "'");
        };
    }
}
