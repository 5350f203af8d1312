package dev.forger.service.security;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns quarkus-oidc's default tenant on exactly when an issuer is configured ({@code quarkus.oidc.auth-server-url},
 * or only {@code quarkus.oidc.public-key}). quarkus-oidc refuses to start with its tenant enabled and no issuer, and
 * the jar must start open with nothing configured; setting the issuer must be all it takes to turn identity on.
 * The value has a low ordinal, so an explicit {@code quarkus.oidc.tenant-enabled} anywhere still wins.
 */
public class OidcSwitch implements ConfigSourceFactory {
    static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";
    static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean issuer = present(context, "quarkus.oidc.auth-server-url") || present(context, "quarkus.oidc.public-key");
        return List.of(new PropertiesConfigSource(Map.of(TENANT_ENABLED, Boolean.toString(issuer)), "forger-oidc-switch",
                ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean present(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
