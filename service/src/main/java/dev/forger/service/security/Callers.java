package dev.forger.service.security;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is calling, as the resources need it for ownership: the principal an evaluation is recorded under, and
 * whether the caller may see and cancel everyone's ({@value Roles#OPERATOR}) or only their own. With identity off
 * there are no owners and everyone sees everything.
 */
@ApplicationScoped
public class Callers {
    private final IdentityMode mode;
    private final SecurityIdentity identity;

    public Callers(IdentityMode mode, SecurityIdentity identity) {
        this.mode = mode;
        this.identity = identity;
    }

    /** The name the caller's evaluations are recorded under; null when identity is off (or the caller anonymous). */
    public String owner() {
        return !mode.enabled() || identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }

    /** Whether the caller sees every owner's evaluations. */
    public boolean seesEveryone() {
        return !mode.enabled() || identity.hasRole(Roles.OPERATOR);
    }

    /** The owner to filter listings by: null for those who see everyone's. */
    public String ownerFilter() {
        return seesEveryone() ? null : owner();
    }

    /**
     * Refuses with 403 when {@code owner}'s evaluation {@code id} is not the caller's to see or cancel.
     */
    public void checkMayAccess(String id, String owner) {
        if (seesEveryone() || (owner != null && owner.equals(owner()))) {
            return;
        }
        throw new ClientProblem(ProblemType.FORBIDDEN, null, "evaluation " + id + " belongs to another user: a "
                + Roles.RESEARCHER + " sees and cancels their own evaluations only, the role '" + Roles.OPERATOR
                + "' everyone's (GET /api/v1/evaluations lists yours)");
    }
}
