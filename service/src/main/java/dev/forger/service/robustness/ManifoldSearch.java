package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.AttackSpace;
import dev.forger.service.attacks.ClassGoal;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.attacks.Norm;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.registry.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One search of the on/off-manifold evaluation: the smallest budget that changes a verdict, found by the
 * bisection attack, either off the manifold (pixel space: ε on the generated image G(z)) or on it (latent space:
 * δ on z, every candidate a generated digit), for the discriminator's verdict (goal flip) or the classifier's
 * (class-change). Pixel searches run on float images (quantize off), so ε is continuous like δ.
 *
 * @param latent  latent space (δ) rather than pixel space (ε)
 * @param classChange the classifier's verdict rather than the discriminator's
 * @param bound   the largest budget searched: ε in pixel units, or δ in latent units
 */
public record ManifoldSearch(boolean latent, boolean classChange, Norm norm, double bound, int steps, int searchSteps,
                             long seed) {
    /** The images whose returned points are kept for the gallery. */
    public static final int GALLERY = 8;

    /** For reports and charts: "pixel ε, D flip", "latent δ, class change". */
    public String label() {
        return (latent ? "latent δ" : "pixel ε") + ", " + (classChange ? "class change" : "D flip");
    }

    public String space() {
        return latent ? "latent" : "pixel";
    }

    public String goal() {
        return classChange ? "class-change" : Goal.FLIP.name().toLowerCase(Locale.ROOT);
    }

    Threat threat() {
        return new Threat(latent, classChange ? new ClassGoal(null, 0) : null);
    }

    /** The bisection attack this search runs, every parameter resolved and checked. */
    public ResolvedAttack attack(AttackLimits limits, LoadedModel model) {
        return AttackCatalog.resolve(new AttackRequest("bisection", bound, norm, steps, null, false, seed,
                classChange ? Goal.REAL : Goal.FLIP, false, null, null, null, searchSteps, null, null, false), limits,
                latent ? AttackSpace.latent(model.manifest().latent()) : null);
    }

    /**
     * Runs the search on {@code count} generated digits: their latents {@code z} and images {@code images}
     * (= G(z)), numbered from {@code first} among the evaluation's images.
     */
    public List<ManifoldRow> run(ThreatAttacks threats, LoadedModel model, AttackLimits limits, float[] z,
                                 float[] images, int count, int first) {
        ThreatOutcome outcome = threats.run(model, attack(limits, model), threat(), latent ? z : images, count);
        List<ManifoldRow> rows = new ArrayList<>(count);
        int size = latent ? model.latentDim() : model.imageShape().size();
        for (ImageOutcome r : outcome.outcome().results()) {
            int i = r.index();
            boolean found = r.success() && !r.alreadyAtGoal();
            rows.add(new ManifoldRow(first + i, r.success(), r.alreadyAtGoal(),
                    found ? (norm == Norm.LINF ? r.linf() : r.l2()) : null,
                    found ? outcome.pixelLinf()[i] : null, found ? outcome.pixelL2()[i] : null,
                    outcome.before().logits()[i], outcome.after().logits()[i],
                    outcome.before().hasClasses() ? outcome.before().classes()[i] : null,
                    outcome.after().hasClasses() ? outcome.after().classes()[i] : null,
                    r.gradientCalls(), r.forwardCalls(), first + i < GALLERY ? java.util.Arrays.copyOfRange(
                            outcome.outcome().adversarial(), i * size, (i + 1) * size) : null));
        }
        return rows;
    }
}
