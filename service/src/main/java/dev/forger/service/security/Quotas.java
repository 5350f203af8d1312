package dev.forger.service.security;

import dev.forger.service.attacks.ResolvedAttack;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fair shares of the expensive work: one token bucket per client and {@link Quota}, holding a window's (a minute's)
 * budget of the client's role and refilled continuously (bucket4j's greedy refill). The client is the caller's principal
 * when identity is on, else its address (the forwarded one when {@code quarkus.http.proxy.*} trusts a proxy). A
 * request is charged before any of its work starts, so a greedy client is refused with 429 while the others'
 * requests find the attack threads and queues as free as their own budgets left them; no one gets a 503 for
 * someone else's sweep that the quotas could have stopped.
 */
@ApplicationScoped
public class Quotas {
    /** The 429's header naming the quota that was used up. */
    public static final String HEADER = "Forger-Quota";
    /** The budget of clients while identity is off. */
    public static final String OPEN = "open";
    /** Past this many buckets, the full ones (which are the same as new ones) are dropped. */
    static final int SWEEP_ABOVE = 10_000;

    private record Key(Quota quota, String budget, String client) {}

    private record Held(Bucket bucket, long capacity) {}

    private final SecurityConfig.Quotas config;
    private final IdentityMode mode;
    private final SecurityIdentity identity;
    private final CurrentIdentityAssociation identities;
    private final CurrentVertxRequest request;
    private final MeterRegistry registry;
    private final Map<Key, Held> buckets = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    public Quotas(SecurityConfig config, IdentityMode mode, SecurityIdentity identity,
                  CurrentIdentityAssociation identities, CurrentVertxRequest request, MeterRegistry registry) {
        this.config = config.quotas();
        this.mode = mode;
        this.identity = identity;
        this.identities = identities;
        this.request = request;
        this.registry = registry;
    }

    /**
     * Who pays: the client and the budget it spends, read on the request's thread for work whose cost is known
     * only later, possibly on another thread (where the request's identity is not at hand).
     */
    public record Caller(String budget, String client) {}

    /** The calling client, as {@link #charge(Caller, Quota, long)} takes it. */
    public Caller caller() {
        return caller(identity);
    }

    /**
     * The calling client once its identity is at hand: for a caller on the event loop while authentication is lazy
     * (gRPC), where reading the identity directly is refused because resolving it might block.
     */
    public Uni<Caller> deferredCaller() {
        if (!mode.enabled()) {
            return Uni.createFrom().item(() -> caller(null)); // nobody is identified: the identity is never read
        }
        return identities.getDeferredIdentity().map(this::caller);
    }

    private Caller caller(SecurityIdentity who) {
        return new Caller(budgetName(who), client(who));
    }

    /**
     * Takes {@code amount} of {@code quota} from the calling client's bucket.
     *
     * @throws QuotaExceededException when the bucket does not hold that much now (nothing is taken then)
     */
    public void charge(Quota quota, long amount) {
        if (!config.enabled() || amount <= 0) {
            return;
        }
        charge(caller(), quota, amount);
    }

    /**
     * Takes {@code amount} of {@code quota} from {@code caller}'s bucket.
     *
     * @throws QuotaExceededException when the bucket does not hold that much now (nothing is taken then)
     */
    public void charge(Caller caller, Quota quota, long amount) {
        if (!config.enabled() || amount <= 0) {
            return;
        }
        String budgetName = caller.budget();
        SecurityConfig.Budget budget = config.budgets().get(budgetName);
        if (budget == null) {
            return; // no budget configured for this role: unlimited
        }
        long capacity = budget.of(quota);
        if (amount > capacity) {
            count(quota, "refused");
            throw new QuotaExceededException(quota, 0, "this request costs " + amount + " " + quota.unit()
                    + ", more than the whole budget of the quota '" + quota.slug() + "' (" + capacity + " per "
                    + window() + " for " + who(budgetName) + "): split it into smaller requests");
        }
        if (buckets.size() > SWEEP_ABOVE) {
            sweep();
        }
        Held held = buckets.computeIfAbsent(new Key(quota, budgetName, caller.client()),
                key -> new Held(bucket(capacity, config.window()), capacity));
        ConsumptionProbe probe = held.bucket().tryConsumeAndReturnRemaining(amount);
        if (probe.isConsumed()) {
            count(quota, "allowed");
            return;
        }
        count(quota, "refused");
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        throw new QuotaExceededException(quota, seconds, "the quota '" + quota.slug() + "' is used up for now: this"
                + " request costs " + amount + " " + quota.unit() + ", " + probe.getRemainingTokens() + " of the "
                + capacity + " per " + window() + " for " + who(budgetName) + " are left; retry after " + seconds + " s"
                + " (Retry-After), or ask for less at a time");
    }

    /**
     * What an attack on {@code images} images costs: images × the steps it may take, for the methods that read
     * {@code steps} (an upper bound: skipAtGoal and early success only save), or × its {@code queries} for the
     * black-box ones; images × 1 for the single-step ones.
     */
    public static long imageSteps(ResolvedAttack attack, int images) {
        Set<String> reads = attack.attack().parameterNames();
        long steps = 1;
        if (reads.contains("steps")) {
            steps = Math.max(steps, attack.parameters().steps());
        }
        if (reads.contains("queries")) {
            steps = Math.max(steps, attack.parameters().queries());
        }
        return images * steps;
    }

    /** The budget the caller spends: its highest role's, or {@value #OPEN} while identity is off. */
    private String budgetName(SecurityIdentity who) {
        if (!mode.enabled() || who.isAnonymous()) {
            return OPEN;
        }
        String highest = OPEN;
        for (String role : Roles.ALL) {
            if (who.hasRole(role)) {
                highest = role;
            }
        }
        return highest;
    }

    private String client(SecurityIdentity who) {
        if (mode.enabled() && !who.isAnonymous()) {
            return who.getPrincipal().getName();
        }
        RoutingContext current = request.getCurrent();
        SocketAddress address = current == null ? null : current.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    private String window() {
        Duration window = config.window();
        return window.equals(Duration.ofMinutes(1)) ? "minute" : window.toString().substring(2).toLowerCase();
    }

    private static String who(String budgetName) {
        return budgetName.equals(OPEN) ? "each client address" : "the role '" + budgetName + "'";
    }

    private static Bucket bucket(long capacity, Duration window) {
        return Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window)).build();
    }

    /** Drops the buckets that have refilled completely: a new one would be the same. */
    private void sweep() {
        buckets.values().removeIf(held -> held.bucket().getAvailableTokens() >= held.capacity());
    }

    private void count(Quota quota, String outcome) {
        outcomes.computeIfAbsent(quota.slug() + "/" + outcome, k -> Counter.builder("forger.quota.requests")
                .description("Requests charged to a quota, by quota and outcome (allowed, refused)")
                .tag("quota", quota.slug()).tag("outcome", outcome).register(registry)).increment();
    }
}
