package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ParameterEcho;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.store.EvaluationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request into an {@link EvaluationSpec} and a spec into units and resolved attacks. Every
 * run is resolved (defaults filled, bounds checked) when the evaluation is submitted, so a bad
 * parameter is refused with the request instead of failing a job minutes later; a replica running
 * a unit resolves its run again from the stored spec, with the same result.
 */
public final class EvaluationPlan {
    private EvaluationPlan() {}

    /**
     * @param attacks    the attacks as the client gave them (null fields take defaults)
     * @param goal       the evaluation's goal, used where an attack sets none
     * @param seed       the evaluation's seed, used where an attack sets none
     * @param identity   the model's name, version and sha256, recorded for reproduction
     */
    public static EvaluationSpec spec(LoadedModel model, ModelIdentity identity, RobustnessReport.ImageSource source,
                                      List<AttackRequest> attacks, List<Double> epsilons, Goal goal, long seed,
                                      int unitImages, AttackService service) {
        List<EvaluationSpec.Run> runs = new ArrayList<>();
        for (int a = 0; a < attacks.size(); a++) {
            AttackRequest request = attacks.get(a);
            ResolvedAttack probe = service.resolve(model, request(request, null, goal, seed));
            String method = probe.attack().name();
            if (!probe.attack().parameterNames().contains("epsilon")) {
                // deepfool, cw: they find their own size
                runs.add(new EvaluationSpec.Run(a, method, norm(probe), null, ParameterEcho.of(probe)));
                continue;
            }
            for (double epsilon : epsilons) {
                ResolvedAttack resolved = service.resolve(model, request(request, epsilon, goal, seed));
                runs.add(new EvaluationSpec.Run(a, method, norm(resolved), epsilon, ParameterEcho.of(resolved)));
            }
        }
        return new EvaluationSpec(model.name(), identity.version(), identity.sha256(), source, goal, seed,
                List.copyOf(epsilons), List.copyOf(attacks), List.copyOf(runs), unitImages);
    }

    /** The units of a spec: run by run, slice by slice, numbered in that order. */
    public static List<EvaluationStore.UnitPlan> units(EvaluationSpec spec) {
        List<EvaluationStore.UnitPlan> units = new ArrayList<>(spec.units());
        int count = spec.images().count();
        for (int r = 0; r < spec.runs().size(); r++) {
            for (int first = 0; first < count; first += spec.unitImages()) {
                units.add(new EvaluationStore.UnitPlan(units.size(), r, first, Math.min(spec.unitImages(), count - first)));
            }
        }
        return units;
    }

    /** The attack of run {@code runIndex}, with every default filled in: the same on every replica. */
    public static ResolvedAttack attack(EvaluationSpec spec, int runIndex, LoadedModel model, AttackService service) {
        if (spec.isManifold()) {
            return spec.manifold().searches(spec.seed()).get(runIndex).attack(service.limits(), model);
        }
        EvaluationSpec.Run run = spec.runs().get(runIndex);
        return service.resolve(model, request(spec.attacks().get(run.attack()), run.epsilon(), spec.goal(), spec.seed()));
    }

    private static String norm(ResolvedAttack attack) {
        return attack.parameters().norm().name().toLowerCase(Locale.ROOT);
    }

    private static AttackRequest request(AttackRequest r, Double epsilon, Goal goal, long seed) {
        return new AttackRequest(r.method(), epsilon != null ? epsilon : r.epsilon(), r.norm(), r.steps(),
                r.stepSize(), r.randomStart(), r.seed() != null ? r.seed() : seed, r.goal() != null ? r.goal() : goal,
                r.quantize() != null ? r.quantize() : Boolean.TRUE, r.momentum(), r.overshoot(), r.constant(),
                r.searchSteps(), r.queries(), r.learningRate(), r.skipAtGoal());
    }
}
