package dev.forger.service.api;

import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.AttackParameters;
import dev.forger.service.attacks.ResolvedAttack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "parameters" of an attack response: exactly the values the attack read, defaults filled in,
 * in a fixed order and with the API's spelling (linf, flip), so a client can replay the request.
 */
final class AttackParametersEcho {
    private AttackParametersEcho() {}

    static Map<String, Object> of(ResolvedAttack resolved) {
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

    /** An ensemble's members as they ran, each with the parameters it read; null for a single attack. */
    static List<AttackResponse.Member> members(ResolvedAttack ensemble, AttackOutcome outcome) {
        if (outcome.members() == null) {
            return null;
        }
        return outcome.members().stream().map(m -> new AttackResponse.Member(m.method(),
                of(new ResolvedAttack(AttackCatalog.byName(m.method()), ensemble.parameters())), m.images(), m.broken(),
                m.gradientCalls(), m.forwardCalls())).toList();
    }
}
