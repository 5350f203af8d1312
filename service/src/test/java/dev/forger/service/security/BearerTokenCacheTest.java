package dev.forger.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** The cache's own rules, on a clock the test moves: expiry, the bound on its age and size, what it never keeps. */
class BearerTokenCacheTest {
    static final String TENANT = "Default";
    static final long START = 1_800_000_000L; // seconds since the epoch, like exp and iat

    /** A wall clock and Caffeine's ticker that move together, only when the test says. */
    static final class ManualClock extends Clock implements Ticker {
        private long nanos;

        void advance(Duration by) {
            nanos += by.toNanos();
        }

        @Override
        public long read() {
            return nanos;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(START).plusNanos(nanos);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    record Limits(boolean enabled, Duration maxAge, long maxSize) implements SecurityConfig.TokenCache {}

    final ManualClock clock = new ManualClock();

    BearerTokenCache cache(Duration maxAge, long maxSize, Optional<Duration> tokenAge) {
        return new BearerTokenCache(new Limits(true, maxAge, maxSize), tokenAge, clock, clock);
    }

    /** An identity as quarkus-oidc builds it for a token with these claims. */
    static SecurityIdentity identity(String token, Map<String, Object> claims) {
        JwtClaims jwt = new JwtClaims();
        claims.forEach(jwt::setClaim);
        AccessTokenCredential credential = new AccessTokenCredential(token);
        return QuarkusSecurityIdentity.builder().setPrincipal(new OidcJwtCallerPrincipal(jwt, credential))
                .addCredential(credential).addRole("reader").build();
    }

    static SecurityIdentity expiringIn(String token, long seconds) {
        return identity(token, Map.of("sub", "rita", "iat", START, "exp", START + seconds));
    }

    @Test
    void aTokenIsFoundUntilItsExpiryAndNotAfter() {
        BearerTokenCache cache = cache(Duration.ofSeconds(60), 100, Optional.empty());
        SecurityIdentity rita = expiringIn("header.claims.signature", 10);
        cache.remember(TENANT, "header.claims.signature", rita);

        clock.advance(Duration.ofMillis(9_999));
        assertThat(cache.find(TENANT, "header.claims.signature")).containsSame(rita);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.find(TENANT, "header.claims.signature")).as("at exp").isEmpty();
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaxAge() {
        BearerTokenCache cache = cache(Duration.ofSeconds(60), 100, Optional.empty());
        cache.remember(TENANT, "t", expiringIn("t", 3600));

        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.find(TENANT, "t")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.find(TENANT, "t")).isEmpty();
    }

    @Test
    void theIssuersTokenAgeLimitBoundsTheReuseToo() {
        BearerTokenCache cache = cache(Duration.ofSeconds(60), 100, Optional.of(Duration.ofSeconds(20)));
        cache.remember(TENANT, "t", expiringIn("t", 3600)); // issued now: too old for quarkus-oidc in 20 s

        clock.advance(Duration.ofSeconds(19));
        assertThat(cache.find(TENANT, "t")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.find(TENANT, "t")).isEmpty();
    }

    @Test
    void anotherSignatureOnTheSameClaimsIsAnotherToken() {
        BearerTokenCache cache = cache(Duration.ofSeconds(60), 100, Optional.empty());
        cache.remember(TENANT, "header.claims.signature", expiringIn("header.claims.signature", 600));

        assertThat(cache.find(TENANT, "header.claims.forged")).isEmpty();
        assertThat(cache.find(TENANT, "header.claims.signatur")).isEmpty();
        assertThat(cache.find("other-tenant", "header.claims.signature")).as("another tenant").isEmpty();
    }

    @Test
    void expiredTokensUnboundTokensAndSenderConstrainedTokensAreNotKept() {
        BearerTokenCache cache = cache(Duration.ofSeconds(60), 100, Optional.empty());
        cache.remember(TENANT, "expired", expiringIn("expired", -1));
        cache.remember(TENANT, "no-exp", identity("no-exp", Map.of("sub", "rita")));
        cache.remember(TENANT, "bound", identity("bound", Map.of("sub", "rita", "exp", START + 600,
                "cnf", Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"))));
        cache.remember(TENANT, "opaque", QuarkusSecurityIdentity.builder()
                .setPrincipal(() -> "rita").addCredential(new AccessTokenCredential("opaque")).build());

        assertThat(cache.find(TENANT, "expired")).isEmpty();
        assertThat(cache.find(TENANT, "no-exp")).isEmpty();
        assertThat(cache.find(TENANT, "bound")).isEmpty();
        assertThat(cache.find(TENANT, "opaque")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theCacheHoldsAtMostItsMaximumSize() {
        BearerTokenCache cache = cache(Duration.ofSeconds(60), 16, Optional.empty());
        for (int i = 0; i < 1000; i++) {
            cache.remember(TENANT, "token-" + i, expiringIn("token-" + i, 600));
            assertThat(cache.size()).isLessThanOrEqualTo(16);
        }
        assertThat(cache.size()).isEqualTo(16);
    }

    @Test
    void switchedOffItKeepsNothing() {
        BearerTokenCache cache = new BearerTokenCache(new Limits(false, Duration.ofSeconds(60), 100), Optional.empty(),
                clock, clock);
        cache.remember(TENANT, "t", expiringIn("t", 600));
        assertThat(cache.enabled()).isFalse();
        assertThat(cache.find(TENANT, "t")).isEmpty();
    }
}
