package dev.forger.service.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Gives every identity the roles its roles include ({@link Roles#including}), so that an issuer grants one role
 * and the resources name the least one they need. With identity off, every caller (anonymous included) holds
 * every role: the same annotations then let everything through, and there is one code path for both modes.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {
    private static final Set<String> EVERY_ROLE = Set.copyOf(Roles.ALL);

    private final IdentityMode mode;

    public RoleAugmentor(IdentityMode mode) {
        this.mode = mode;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!mode.enabled()) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(EVERY_ROLE).build());
        }
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = Roles.including(identity.getRoles());
        if (roles.equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }
}
