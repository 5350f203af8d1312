package dev.forger.service.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** {@code forger.security.*}: the API keys of scripts. The OIDC issuer is Quarkus's own {@code quarkus.oidc.*}. */
@ConfigMapping(prefix = "forger.security")
public interface SecurityConfig {

    /**
     * API keys, each {@code name:role:secret} ({@code FORGER_SECURITY_API_KEYS=ci:researcher:…,grafana:reader:…}):
     * a request that sends the secret in the {@value ApiKeyMechanism#HEADER} header acts as {@code key:<name>} with
     * that role. The secret is at least 16 characters, or {@code sha256:<64 hex digits>} of one, so that the
     * configuration need not hold the key itself. Give them from a Secret, never a ConfigMap.
     */
    Optional<List<String>> apiKeys();
}
