package dev.forger.service.api;

import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.ParameterEcho;
import dev.forger.service.attacks.ResolvedAttack;
import java.util.List;
import java.util.Map;

/**
 * The "parameters" of an attack response: exactly the values the attack read, defaults filled in,
 * in a fixed order and with the API's spelling (linf, flip), so a client can replay the request.
 */
final class AttackParametersEcho {
    private AttackParametersEcho() {}

    static Map<String, Object> of(ResolvedAttack resolved) {
        return ParameterEcho.of(resolved);
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
