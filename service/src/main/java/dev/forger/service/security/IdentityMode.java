package dev.forger.service.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether identity is on: an OIDC issuer ({@code quarkus.oidc.auth-server-url}, or {@code quarkus.oidc.public-key}
 * alone) or at least one API key is
 * configured. Otherwise every endpoint is open to whoever reaches the port, as the single jar on a laptop has
 * always been, and the start-up log says so once.
 */
@ApplicationScoped
public class IdentityMode {
    private static final Logger LOG = Logger.getLogger(IdentityMode.class);

    private final boolean oidc;
    private final ApiKeys keys;

    public IdentityMode(@ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer,
                        @ConfigProperty(name = "quarkus.oidc.public-key") Optional<String> issuerKey, ApiKeys keys) {
        // an issuer's URL (discovery, keys fetched), or only its public key (tokens verified offline)
        this.oidc = issuer.filter(url -> !url.isBlank()).isPresent() || issuerKey.filter(k -> !k.isBlank()).isPresent();
        this.keys = keys;
    }

    /** Whether requests must identify themselves (and the resources' roles apply). */
    public boolean enabled() {
        return oidc || keys.any();
    }

    public boolean oidc() {
        return oidc;
    }

    public boolean apiKeys() {
        return keys.any();
    }

    void announce(@Observes StartupEvent start) {
        if (!enabled()) {
            LOG.info("Identity is off: no OIDC issuer (quarkus.oidc.auth-server-url) and no API keys"
                    + " (forger.security.api-keys) are configured, so every endpoint is open to anyone who can reach"
                    + " this port. See the README's Security section to turn it on.");
        } else {
            LOG.infof("Identity is on: %s%s; roles reader < researcher < operator apply to /api/v1 and /v2",
                    oidc ? "OIDC bearer tokens" : "", (oidc && keys.any() ? " and " : "")
                            + (keys.any() ? keys.all().size() + " API key(s) (" + ApiKeyMechanism.HEADER + ")" : ""));
        }
    }
}
