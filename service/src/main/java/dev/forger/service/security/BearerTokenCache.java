package dev.forger.service.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The identities of bearer tokens that quarkus-oidc has verified, so that the same token's next requests skip the
 * verification: on {@code /score} it was half of the service's Java CPU time (the RS256 signature check, jose4j's
 * and then Vert.x's parsing of the claims, the identity's construction), and quarkus-oidc caches only token
 * introspection and UserInfo answers, not verified JWTs.
 *
 * <p>What keeps it safe: the key is the SHA-256 of the whole token, signature included, so a token whose claims
 * equal a cached one's but whose signature differs is a different key and goes to quarkus-oidc, which refuses it;
 * the raw token is never a key. Only identities quarkus-oidc returned are stored ({@link CachingBearerTokenProvider}),
 * only JWTs with an {@code exp}, never sender-constrained ones ({@code cnf}: their binding to a certificate or DPoP
 * proof is checked per request). An entry lives until the earliest of the token's {@code exp}, its
 * {@code quarkus.oidc.token.age} limit and {@link SecurityConfig.TokenCache#maxAge()} after it was verified, which
 * bounds how long a key the issuer withdraws stays trusted. At most {@link SecurityConfig.TokenCache#maxSize()}
 * tokens are held. Hits and misses are the {@code cache_gets_total{cache="forger-bearer-tokens"}} metric.
 */
@ApplicationScoped
public class BearerTokenCache {
    static final String NAME = "forger-bearer-tokens";
    /** RFC 7800's confirmation claim: a token bound to a key the client must prove it holds on every request. */
    static final String CONFIRMATION = "cnf";

    /** A tenant's token, by digest. */
    private record Key(String tenant, String digest) {}

    private record Entry(SecurityIdentity identity, long expiresAtMillis) {}

    private final boolean enabled;
    private final Duration maxAge;
    private final Optional<Duration> tokenAge;
    private final Clock clock;
    private final Cache<Key, Entry> entries;

    @Inject
    public BearerTokenCache(SecurityConfig config,
                            @ConfigProperty(name = "quarkus.oidc.token.age") Optional<Duration> tokenAge,
                            MeterRegistry registry) {
        this(config.tokenCache(), tokenAge, Clock.systemUTC(), Ticker.systemTicker());
        CaffeineCacheMetrics.monitor(registry, entries, NAME);
    }

    BearerTokenCache(SecurityConfig.TokenCache config, Optional<Duration> tokenAge, Clock clock, Ticker ticker) {
        this.enabled = config.enabled() && config.maxAge().toMillis() > 0 && config.maxSize() > 0;
        this.maxAge = config.maxAge();
        this.tokenAge = tokenAge;
        this.clock = clock;
        // eviction on the calling thread: a few map operations, and the bound holds the moment a put returns
        this.entries = Caffeine.newBuilder().maximumSize(Math.max(1, config.maxSize())).ticker(ticker)
                .executor(Runnable::run).expireAfter(new UntilExpiry(clock)).recordStats().build();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The identity quarkus-oidc built for {@code token} of {@code tenant}, while it is still to be trusted. */
    public Optional<SecurityIdentity> find(String tenant, String token) {
        if (!enabled) {
            return Optional.empty();
        }
        Key key = key(tenant, token);
        Entry entry = entries.getIfPresent(key);
        if (entry == null) {
            return Optional.empty();
        }
        // Caffeine drops an entry at its expiry too; this check does not depend on its clock and timer
        if (clock.millis() >= entry.expiresAtMillis()) {
            entries.invalidate(key);
            return Optional.empty();
        }
        return Optional.of(entry.identity());
    }

    /**
     * Keeps the identity that quarkus-oidc built for {@code token} after verifying it. Identities that are not
     * from a JWT with an expiry, and those of sender-constrained tokens, are not kept.
     */
    public void remember(String tenant, String token, SecurityIdentity identity) {
        if (!enabled || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.containsClaim(CONFIRMATION)) {
            return;
        }
        long expiry = jwt.getExpirationTime();
        if (expiry <= 0) {
            return;
        }
        long now = clock.millis();
        long until = Math.min(expiry * 1000, now + maxAge.toMillis());
        if (tokenAge.isPresent()) {
            long issued = jwt.getIssuedAtTime();
            if (issued <= 0) {
                return; // quarkus-oidc checks such a token's age against its iat: nothing to bound the reuse by
            }
            until = Math.min(until, issued * 1000 + tokenAge.get().toMillis());
        }
        if (until > now) {
            entries.put(key(tenant, token), new Entry(identity, until));
        }
    }

    /** The number of tokens held (after dropping the expired and those past the bound). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private static Key key(String tenant, String token) {
        return new Key(tenant, Base64.getEncoder().withoutPadding().encodeToString(ApiKeys.sha256(token)));
    }

    /** Each entry expires at its own time, read from the wall clock that token expiries are in. */
    private record UntilExpiry(Clock clock) implements Expiry<Key, Entry> {
        @Override
        public long expireAfterCreate(Key key, Entry entry, long currentTime) {
            return Duration.ofMillis(Math.max(0, entry.expiresAtMillis() - clock.millis())).toNanos();
        }

        @Override
        public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
        }

        @Override
        public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
