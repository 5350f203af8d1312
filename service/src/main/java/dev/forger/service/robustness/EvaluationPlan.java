package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.registry.LoadedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated evaluation, ready to run: the images, and every attack run it will make — each
 * bounded attack once per epsilon, each minimal-perturbation attack once. Every run is resolved
 * (defaults filled, bounds checked) when the plan is made, so a bad parameter is refused with the
 * request instead of failing a job minutes later.
 */
public record EvaluationPlan(LoadedModel model, float[] images, int count, RobustnessReport.ImageSource source,
                             Goal goal, List<Double> epsilons, List<Run> runs) {

    /** One attack run over all images; {@code epsilon} is null for minimal-perturbation attacks. */
    public record Run(String method, Double epsilon, ResolvedAttack attack) {
        boolean minimal() {
            return epsilon == null;
        }
    }

    /**
     * @param attacks  the attacks as the client gave them (null fields take defaults)
     * @param goal     the evaluation's goal, used where an attack sets none
     * @param seed     the evaluation's seed, used where an attack sets none
     */
    public static EvaluationPlan of(LoadedModel model, float[] images, int count, RobustnessReport.ImageSource source,
                                    List<AttackRequest> attacks, List<Double> epsilons, Goal goal, long seed,
                                    AttackService service) {
        List<Run> runs = new ArrayList<>();
        for (AttackRequest request : attacks) {
            AttackRequest base = defaults(request, null, goal, seed);
            ResolvedAttack probe = service.resolve(model, base);
            if (!probe.attack().parameterNames().contains("epsilon")) {
                runs.add(new Run(probe.attack().name(), null, probe)); // deepfool, cw: they find their own size
                continue;
            }
            for (double epsilon : epsilons) {
                runs.add(new Run(probe.attack().name(), epsilon, service.resolve(model, defaults(request, epsilon, goal, seed))));
            }
        }
        return new EvaluationPlan(model, images, count, source, goal, List.copyOf(epsilons), List.copyOf(runs));
    }

    private static AttackRequest defaults(AttackRequest r, Double epsilon, Goal goal, long seed) {
        return new AttackRequest(r.method(), epsilon != null ? epsilon : r.epsilon(), r.norm(), r.steps(),
                r.stepSize(), r.randomStart(), r.seed() != null ? r.seed() : seed, r.goal() != null ? r.goal() : goal,
                r.quantize() != null ? r.quantize() : Boolean.TRUE, r.momentum(), r.overshoot(), r.constant(),
                r.searchSteps(), r.queries(), r.learningRate(), r.skipAtGoal());
    }
}
