package dev.forger.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.service.inference.QueueFullException;
import dev.forger.service.store.EvaluationStore.Claim;
import dev.forger.service.store.EvaluationStore.NewEvaluation;
import dev.forger.service.store.EvaluationStore.UnitPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's queue semantics on a real database (H2 in PostgreSQL mode, migrated by the service's
 * own Flyway scripts): exclusive claims, leases that expire, results only from the lease holder,
 * cancellation, the global cap, and the evaluation finishing with its last unit.
 */
class EvaluationStoreTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private EvaluationStore store;
    private JdbcDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new EvaluationStore(dataSource);
    }

    @Test
    void eachUnitIsClaimedByOneReplicaInOrderAndTheLastResultFinishesTheEvaluation() {
        String id = store.create(evaluation(3), 100);
        List<Claim> claims = new ArrayList<>();
        for (String replica : List.of("a", "b", "c")) {
            claims.add(store.claim(replica, LEASE, 3).orElseThrow());
        }
        assertThat(claims).extracting(Claim::seq).containsExactly(0, 1, 2);
        assertThat(store.claim("d", LEASE, 3)).as("nothing left to claim").isEmpty();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo("running");
        assertThat(store.find(id).orElseThrow().leases()).containsEntry("a", 1).containsEntry("b", 1).containsEntry("c", 1);

        assertThat(store.complete(claims.get(2), "c", "[2]", 5, done -> "never")).isTrue();
        assertThat(store.complete(claims.get(0), "a", "[0]", 5, done -> "never")).isTrue();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo("running");
        List<String> seen = new ArrayList<>();
        assertThat(store.complete(claims.get(1), "b", "[1]", 5, done -> {
            done.forEach(u -> seen.add(u.results()));
            return "{\"final\": true}";
        })).isTrue();
        EvaluationStore.StoredEvaluation finished = store.find(id).orElseThrow();
        assertThat(finished.state()).isEqualTo("succeeded");
        assertThat(finished.report()).isEqualTo("{\"final\": true}");
        assertThat(finished.unitsDone()).isEqualTo(3);
        assertThat(seen).as("the report sees every unit, in plan order").containsExactly("[0]", "[1]", "[2]");
    }

    @Test
    void aUnitWhoseLeaseExpiredIsTakenOverAndItsFormerHolderCannotRecordIt() throws InterruptedException {
        String id = store.create(evaluation(1), 100);
        Claim first = store.claim("dying", Duration.ofSeconds(1), 3).orElseThrow();
        assertThat(store.claim("other", LEASE, 3)).as("leased").isEmpty();
        Thread.sleep(2100); // the holder stops renewing: its lease runs out on the database's clock
        Claim second = store.claim("other", LEASE, 3).orElseThrow();
        assertThat(second.seq()).isEqualTo(first.seq());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(store.renew(first, LEASE)).as("the former holder's renewal").isFalse();
        assertThat(store.complete(first, "dying", "[\"stale\"]", 1, done -> "r")).as("the former holder's result").isFalse();
        assertThat(store.complete(second, "other", "[\"fresh\"]", 1, done -> "r")).isTrue();
        assertThat(store.doneUnits(id)).singleElement().extracting(EvaluationStore.DoneUnit::results).isEqualTo("[\"fresh\"]");
    }

    @Test
    void aCancelledEvaluationStopsEveryHolderAndLeavesNothingToClaim() {
        String id = store.create(evaluation(4), 100);
        Claim a = store.claim("a", LEASE, 3).orElseThrow();
        Claim b = store.claim("b", LEASE, 3).orElseThrow();
        assertThat(store.cancel(id)).isTrue();
        assertThat(store.renew(a, LEASE)).isFalse();
        assertThat(store.renew(b, LEASE)).isFalse();
        assertThat(store.complete(a, "a", "[]", 1, done -> "r")).isFalse();
        assertThat(store.claim("c", LEASE, 3)).isEmpty();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo("cancelled");
        assertThat(store.cancel(id)).as("already finished").isFalse();
        assertThat(store.delete(id)).isTrue();
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void theQueueRefusesEvaluationsBeyondTheGlobalCapUntilUnitsAreTaken() {
        store.create(evaluation(6), 10);
        assertThatThrownBy(() -> store.create(evaluation(5), 10)).isInstanceOf(QueueFullException.class)
                .hasMessage("the evaluation queue holds 6 units of work and this evaluation adds 5, more than its 10"
                        + " (forger.evaluation.max-queued-units); retry when evaluations finish, or ask for fewer"
                        + " images or ε values");
        store.claim("a", LEASE, 3).orElseThrow();
        store.create(evaluation(5), 10); // 5 queued + 5 new
        assertThat(store.unitCounts()).containsEntry("queued", 10).containsEntry("running", 1);
    }

    @Test
    void aUnitWhoseReplicasKeepDyingFailsItsEvaluation() throws InterruptedException {
        String id = store.create(evaluation(1), 100);
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThat(store.claim("dying-" + attempt, Duration.ofSeconds(1), 2)).isPresent();
            Thread.sleep(1100);
        }
        assertThat(store.claim("next", LEASE, 2)).as("two attempts are the most").isEmpty();
        assertThat(store.failExhausted(2)).containsExactly(id);
        EvaluationStore.StoredEvaluation failed = store.find(id).orElseThrow();
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error()).contains("max-attempts");
    }

    @Test
    void aReleasedUnitGoesBackToTheQueueWithoutCountingTheAttempt() {
        store.create(evaluation(1), 100);
        Claim claim = store.claim("busy", LEASE, 3).orElseThrow();
        store.release(claim);
        assertThat(store.claim("free", LEASE, 3)).map(Claim::attempt).isEqualTo(Optional.of(1));
    }

    @Test
    void aRefusedUnitGoesBackForReplicasThatHaveNotRefusedItsEvaluation() {
        store.seen("new-pod");
        store.seen("old-pod");
        String id = store.create(evaluation(2), 100);
        String other = store.create(evaluation(1), 100);
        Claim refused = store.claim("new-pod", LEASE, 3).orElseThrow();
        assertThat(store.refuse(refused, "new-pod", "serves sha256 bb, planned on aa", LEASE))
                .isEqualTo(EvaluationStore.Refusal.RELEASED);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo("running");
        assertThat(store.claim("new-pod", LEASE, 3)).as("the refusing replica moves on to other evaluations")
                .map(Claim::evaluationId).contains(other);
        assertThat(store.claim("new-pod", LEASE, 3)).as("and leaves the refused one alone").isEmpty();

        Claim taken = store.claim("old-pod", LEASE, 3).orElseThrow();
        assertThat(taken.seq()).isEqualTo(refused.seq());
        assertThat(taken.attempt()).as("a refusal is not an attempt").isEqualTo(1);
        assertThat(store.complete(taken, "old-pod", "[0]", 1, done -> "r")).isTrue();
        assertThat(store.complete(store.claim("old-pod", LEASE, 3).orElseThrow(), "old-pod", "[1]", 1, done -> "report"))
                .isTrue();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo("succeeded");
    }

    @Test
    void anEvaluationFailsWithTheReasonOnceEveryLiveReplicaRefusedIt() {
        store.seen("a");
        store.seen("b");
        store.seen("gone");
        store.leave("gone"); // shut down: not waited for
        String id = store.create(evaluation(3), 100);
        Claim first = store.claim("a", LEASE, 3).orElseThrow();
        assertThat(store.complete(first, "a", "[0]", 1, done -> "never")).isTrue();
        assertThat(store.refuse(store.claim("a", LEASE, 3).orElseThrow(), "a", "a serves bb", LEASE))
                .isEqualTo(EvaluationStore.Refusal.RELEASED);
        Claim held = store.claim("b", LEASE, 3).orElseThrow();
        assertThat(store.refuse(held, "b", "b serves cc, planned on aa", LEASE)).isEqualTo(EvaluationStore.Refusal.FAILED);

        EvaluationStore.StoredEvaluation failed = store.find(id).orElseThrow();
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error()).isEqualTo("b serves cc, planned on aa (every live replica refused the evaluation: a, b)");
        assertThat(failed.unitsDone()).as("what was done stays").isEqualTo(1);
        assertThat(failed.unitsByState()).doesNotContainKeys("queued", "running");
        assertThat(store.claim("c", LEASE, 3)).isEmpty();
        assertThat(store.refuse(held, "b", "again", LEASE)).as("a unit no longer held").isEqualTo(EvaluationStore.Refusal.NOT_HELD);
    }

    @Test
    void aReplicaThatRefusedLooksAgainAfterALeaseAndOnceItRunsAUnitNoLongerCountsAsRefusing() throws InterruptedException {
        store.seen("a");
        store.seen("b");
        String id = store.create(evaluation(3), 100);
        Duration shortLease = Duration.ofSeconds(1);
        assertThat(store.refuse(store.claim("a", shortLease, 3).orElseThrow(), "a", "a serves bb", shortLease))
                .isEqualTo(EvaluationStore.Refusal.RELEASED);
        assertThat(store.claim("a", shortLease, 3)).isEmpty();
        Thread.sleep(1500); // a was reloaded back to the planned version meanwhile
        Claim again = store.claim("a", shortLease, 3).orElseThrow();
        assertThat(store.complete(again, "a", "[0]", 1, done -> "never")).isTrue();
        // b refuses now: a runs the evaluation, so b's refusal leaves the unit to a instead of failing it
        assertThat(store.refuse(store.claim("b", LEASE, 3).orElseThrow(), "b", "b serves cc", LEASE))
                .isEqualTo(EvaluationStore.Refusal.RELEASED);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo("running");
    }

    @Test
    void historyListsNewestFirstAndFilters() throws InterruptedException {
        String old = store.create(evaluation(1), 100);
        Thread.sleep(20);
        String recent = store.create(new NewEvaluation("other-model", "v2", "ab", "0.1", 9, "{}", new byte[4],
                List.of(new UnitPlan(0, 0, 0, 1))), 100);
        store.cancel(old);
        assertThat(store.list(null, null, 10)).extracting(EvaluationStore.StoredEvaluation::id).containsExactly(recent, old);
        assertThat(store.list("other-model", null, 10)).extracting(EvaluationStore.StoredEvaluation::id).containsExactly(recent);
        assertThat(store.list(null, "cancelled", 10)).extracting(EvaluationStore.StoredEvaluation::id).containsExactly(old);
        assertThat(store.list(null, null, 1)).hasSize(1);
    }

    private static NewEvaluation evaluation(int units) {
        List<UnitPlan> plan = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            plan.add(new UnitPlan(i, i, 0, 1));
        }
        return new NewEvaluation("mnist-dcgan", "v1", "00", "0.1.0", 7, "{}", new byte[] {1, 2, 3, 4}, plan);
    }
}
