package dev.forger.service.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code forger.security.*}: the API keys of scripts, the quotas and the cache of verified bearer tokens. The OIDC
 * issuer is Quarkus's own {@code quarkus.oidc.*}.
 */
@ConfigMapping(prefix = "forger.security")
public interface SecurityConfig {

    /**
     * API keys, each {@code name:role:secret} ({@code FORGER_SECURITY_API_KEYS=ci:researcher:…,grafana:reader:…}):
     * a request that sends the secret in the {@value ApiKeyMechanism#HEADER} header acts as {@code key:<name>} with
     * that role. The secret is at least 16 characters, or {@code sha256:<64 hex digits>} of one, so that the
     * configuration need not hold the key itself. Give them from a Secret, never a ConfigMap.
     */
    Optional<List<String>> apiKeys();

    /** Fair shares of the expensive work. */
    Quotas quotas();

    /** The cache of bearer tokens quarkus-oidc has verified ({@link BearerTokenCache}). */
    TokenCache tokenCache();

    interface TokenCache {
        /** Whether a verified token's identity is reused for the same token's next requests. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The longest an identity is reused without verifying its token again (never past the token's own
         * {@code exp}): how long a key the issuer has withdrawn may still be trusted for a token it signed.
         */
        @WithDefault("60s")
        Duration maxAge();

        /** The most tokens held; past it the least useful ones are dropped (and verified again if they return). */
        @WithDefault("4096")
        long maxSize();
    }

    interface Quotas {
        /** Whether the quotas apply at all. */
        @WithDefault("true")
        boolean enabled();

        /** The period a budget is for; the bucket refills continuously at budget / window. */
        @WithDefault("1m")
        Duration window();

        /**
         * Budgets per {@link #window()} by role ({@code reader}, {@code researcher}, {@code operator}) and
         * {@code open}: the budget of each client address while identity is off. A caller gets the budget of the
         * highest role it holds. Each budget is also its bucket's capacity: a client that has been idle may spend
         * a whole window's budget at once, then waits for it to refill.
         */
        Map<String, Budget> budgets();
    }

    /** One role's budget per window of each {@link Quota}. */
    interface Budget {
        long attackImageSteps();

        long evaluationUnits();

        long generatedImages();

        default long of(Quota quota) {
            return switch (quota) {
                case ATTACK_IMAGE_STEPS -> attackImageSteps();
                case EVALUATION_UNITS -> evaluationUnits();
                case GENERATED_IMAGES -> generatedImages();
            };
        }
    }
}
