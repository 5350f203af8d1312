package dev.forger.service.attacks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A resolved attack's parameters as the API spells them: exactly the values the attack reads, defaults filled
 * in, in a fixed order (linf, flip in lower case), so that the map sent back as a request replays the run. What
 * /attack echoes and what an evaluation's provenance records per run.
 */
public final class ParameterEcho {
    private ParameterEcho() {}

    public static Map<String, Object> of(ResolvedAttack resolved) {
        AttackParameters p = resolved.parameters();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("epsilon", p.epsilon());
        all.put("norm", p.norm().name().toLowerCase(Locale.ROOT));
        all.put("steps", p.steps());
        all.put("stepSize", p.stepSize());
        all.put("randomStart", p.randomStart());
        all.put("momentum", p.momentum());
        all.put("overshoot", p.overshoot());
        all.put("constant", p.constant());
        all.put("searchSteps", p.searchSteps());
        all.put("queries", p.queries());
        all.put("learningRate", p.learningRate());
        all.put("goal", p.goal().name().toLowerCase(Locale.ROOT));
        all.put("seed", p.seed());
        all.put("skipAtGoal", p.skipAtGoal());
        all.put("quantize", p.quantize());
        all.keySet().retainAll(resolved.attack().parameterNames());
        return all;
    }
}
