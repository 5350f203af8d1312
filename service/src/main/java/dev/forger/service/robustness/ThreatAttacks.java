package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.AttackScope;
import dev.forger.service.attacks.AttackSpace;
import dev.forger.service.attacks.ClassifierNetworks;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;

/**
 * Attacks under any {@link Threat}: in latent space through the bundle's cached z → G → D graphs, on class
 * goals through its classifier graphs, and the pixel attacks on the discriminator as before. Around the shared
 * {@code AttackRunner} (goals, ball, counting, batching) it adds what these threats report: the verdicts of
 * the classifier and the discriminator before and after, and for latent points the images they generate and
 * how far apart those are in pixels.
 */
@ApplicationScoped
public class ThreatAttacks {
    private final AttackService attacks;

    public ThreatAttacks(AttackService attacks) {
        this.attacks = attacks;
    }

    /**
     * Resolves the request under the threat: the attack must run in its space and on its goal, and the model
     * must have the networks for both. Latent points are never rounded (quantize is off there); a class goal
     * runs as goal "real", the positive side of its score.
     *
     * @throws ClientProblem 400 for a method that does not run there, 422 when the model lacks the networks
     */
    public ResolvedAttack resolve(LoadedModel model, AttackRequest request, Threat threat) {
        if (threat.latent() && Boolean.TRUE.equals(request.quantize())) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "quantize", "quantize rounds pixels to 8 bits;"
                    + " latent points (space=latent) are never rounded: leave quantize out");
        }
        if (threat.hasClassGoal() && request.goal() != null) {
            throw new IllegalArgumentException("a class goal replaces the discriminator's goal");
        }
        AttackRequest effective = new AttackRequest(request.method(), request.epsilon(), request.norm(), request.steps(),
                request.stepSize(), request.randomStart(), request.seed(), threat.hasClassGoal() ? Goal.REAL : request.goal(),
                threat.latent() ? Boolean.FALSE : request.quantize(), request.momentum(), request.overshoot(),
                request.constant(), request.searchSteps(), request.queries(), request.learningRate(), request.skipAtGoal());
        ResolvedAttack resolved = threat.latent()
                ? AttackCatalog.resolve(effective, attacks.limits(), AttackSpace.latent(model.manifest().latent()))
                : attacks.resolve(model, effective);
        if (threat.latent()) {
            AttackScope.requireLatent(resolved.attack());
            if (model.latentAttackModel().isEmpty()) {
                throw new ClientProblem(ProblemType.UNSUPPORTED_BY_MODEL, "space", "model '" + model.name()
                        + "' cannot be attacked in latent space: " + model.latentUnavailable()
                        + "; attack its images in pixel space (space=pixel)");
            }
        }
        if (threat.hasClassGoal()) {
            AttackScope.requireClassGoal(resolved.attack(), threat.classGoal());
            if (model.classifierNetworks(threat.latent()).isEmpty()) {
                throw noClassifier(model);
            }
        }
        return resolved;
    }

    /** The 422 for class goals on a bundle without a (differentiable) classifier. */
    public static ClientProblem noClassifier(LoadedModel model) {
        return new ClientProblem(ProblemType.UNSUPPORTED_BY_MODEL, "goal", "class goals need the bundle's"
                + " classifier, and " + model.classGoalsUnavailable() + "; use goal fake, real or flip, which attack"
                + " the discriminator, or a bundle whose manifest declares a classifier");
    }

    /**
     * Queues the attack on the attack threads.
     *
     * @throws QueueFullException when forger.attacks.queue-capacity requests are already waiting
     */
    public CompletableFuture<ThreatOutcome> submit(LoadedModel model, ResolvedAttack attack, Threat threat,
                                                   float[] points, int count) {
        return attacks.submit(() -> run(model, attack, threat, points, count));
    }

    /** Runs the attack on the calling thread (an attack or evaluation thread). */
    public ThreatOutcome run(LoadedModel model, ResolvedAttack attack, Threat threat, float[] points, int count) {
        Verdicts before = verdicts(model, threat, points, count);
        AttackModel target;
        if (threat.hasClassGoal()) {
            ClassifierNetworks networks = model.classifierNetworks(threat.latent()).orElseThrow(() -> noClassifier(model));
            target = threat.classGoal().model(networks, before.classes());
        } else {
            target = threat.latent() ? model.latentAttackModel().orElseThrow() : model.attackModel();
        }
        AttackOutcome outcome = attacks.run(model, attack, target, !threat.hasClassGoal(), points, count);
        Verdicts after = verdicts(model, threat, outcome.adversarial(), count);
        float[] originalImages = threat.latent() ? model.generate(outcome.originals(), count).join() : outcome.originals();
        float[] adversarialImages = threat.latent() ? model.generate(outcome.adversarial(), count).join()
                : outcome.adversarial();
        int size = model.imageShape().size();
        double[] linf = new double[count];
        double[] l2 = new double[count];
        for (int i = 0; i < count; i++) {
            if (threat.latent()) {
                double max = 0;
                double sum = 0;
                for (int j = i * size; j < (i + 1) * size; j++) {
                    double d = ((double) adversarialImages[j] - originalImages[j]) / 2; // pixel units of [0, 1]
                    max = Math.max(max, Math.abs(d));
                    sum += d * d;
                }
                linf[i] = max;
                l2[i] = Math.sqrt(sum);
            } else {
                linf[i] = outcome.results().get(i).linf();
                l2[i] = outcome.results().get(i).l2();
            }
        }
        return new ThreatOutcome(threat, outcome, before, after, originalImages, adversarialImages, linf, l2);
    }

    /** The classifier's and the discriminator's verdicts on points of the threat's space. */
    private static Verdicts verdicts(LoadedModel model, Threat threat, float[] points, int count) {
        var networks = model.classifierNetworks(threat.latent());
        if (networks.isPresent()) {
            return Verdicts.ofClassifier(networks.get().verdicts(points, count), count, networks.get().classes());
        }
        return Verdicts.ofDiscriminator(threat.latent() ? model.latentAttackModel().orElseThrow().logits(points, count)
                : model.score(points, count).join());
    }
}
