package dev.forger.service.store;

import static dev.forger.service.store.Sql.prepare;
import static dev.forger.service.store.Sql.update;

import dev.forger.service.inference.QueueFullException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Evaluations, their images and their units in the shared database. Every replica reads and writes
 * here; nothing about a job lives only in one replica's memory.
 *
 * <p>Units are claimed with the standard {@code SELECT … FOR UPDATE SKIP LOCKED} queue pattern: a
 * replica locks the oldest claimable unit (queued, or running under a lease that has expired), marks
 * it running under its own lease (owner, a fresh token, an expiry on the database's clock) and
 * commits. A result is recorded only by the holder of the current token, so a replica that lost its
 * lease (it stalled, another replica took the unit over) cannot count a unit twice.
 */
@ApplicationScoped
public class EvaluationStore {
    private static final String CLAIMABLE = "(u.state = 'queued' OR (u.state = 'running'"
            + " AND u.lease_expires < CURRENT_TIMESTAMP AND u.attempts < ?))";
    /** Not an evaluation the claiming replica refused within the last lease (it may have been reloaded since). */
    private static final String NOT_REFUSED = "NOT EXISTS (SELECT 1 FROM evaluation_refusal f WHERE"
            + " f.evaluation_id = u.evaluation_id AND f.replica = ? AND f.refused_at >= " + ago() + ")";

    private final DataSource dataSource;

    @Inject
    public EvaluationStore(StoreDatabase database) {
        this(database.dataSource());
    }

    EvaluationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record UnitPlan(int seq, int runIndex, int firstImage, int imageCount) {}

    /** @param owner who submitted it (security: the caller's principal), or null when identity is off */
    public record NewEvaluation(String modelName, String modelVersion, String modelSha256, String forgerVersion,
                                long seed, String spec, byte[] images, List<UnitPlan> units, String owner) {
        public NewEvaluation(String modelName, String modelVersion, String modelSha256, String forgerVersion,
                             long seed, String spec, byte[] images, List<UnitPlan> units) {
            this(modelName, modelVersion, modelSha256, forgerVersion, seed, spec, images, units, null);
        }
    }

    /** An evaluation as stored, with its units counted by state and its current leases by replica. */
    public record StoredEvaluation(String id, String state, String modelName, String modelVersion, String modelSha256,
                                   String forgerVersion, long seed, String spec, int unitsTotal, Instant created,
                                   Instant started, Instant finished, String error, String report,
                                   Map<String, Integer> unitsByState, Map<String, Integer> leases, String owner) {
        public int unitsDone() {
            return unitsByState.getOrDefault("done", 0);
        }
    }

    /** A unit this replica now holds; {@code token} proves it when the result is recorded. */
    public record Claim(String evaluationId, int seq, int runIndex, int firstImage, int imageCount, String token,
                        int attempt) {}

    /** What became of a unit its replica refused to run. */
    public enum Refusal {
        /** Back in the queue for a replica that has not refused the evaluation. */
        RELEASED,
        /** Every live replica has refused the evaluation: it failed, with the refusal's reason. */
        FAILED,
        /** The replica no longer held the unit (cancelled, or taken over): nothing changed. */
        NOT_HELD
    }

    /** A finished unit's per-image results (JSON, as the robustness package wrote them). */
    public record DoneUnit(int seq, int runIndex, int firstImage, int imageCount, String results, long elapsedMs) {}

    /**
     * Stores a new evaluation with its images and queued units, in one transaction.
     *
     * @throws QueueFullException when the units would take the store past {@code maxQueuedUnits} queued units
     */
    public String create(NewEvaluation e, int maxQueuedUnits) {
        String id = UUID.randomUUID().toString();
        return Sql.transaction(dataSource, c -> {
            // every submission locks the same row: the count below cannot race another replica's insert
            try (PreparedStatement lock = prepare(c, "SELECT id FROM evaluation_queue WHERE id = 1 FOR UPDATE")) {
                lock.executeQuery().close();
            }
            int queued = count(c, "SELECT COUNT(*) FROM evaluation_unit WHERE state = 'queued'");
            if (queued + e.units().size() > maxQueuedUnits) {
                throw new QueueFullException("the evaluation queue holds " + queued
                        + " units of work and this evaluation adds " + e.units().size() + ", more than its "
                        + maxQueuedUnits + " (forger.evaluation.max-queued-units); retry when evaluations finish,"
                        + " or ask for fewer images or ε values");
            }
            update(c, "INSERT INTO evaluation (id, state, model_name, model_version, model_sha256, forger_version, seed,"
                            + " spec, units_total, created_at, owner) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?)",
                    id, e.modelName(), e.modelVersion(), e.modelSha256(), e.forgerVersion(), e.seed(), e.spec(),
                    e.units().size(), e.owner());
            update(c, "INSERT INTO evaluation_images (evaluation_id, images) VALUES (?, ?)", id, e.images());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO evaluation_unit (evaluation_id, seq,"
                    + " run_index, first_image, image_count, state, queued_at) VALUES (?, ?, ?, ?, ?, 'queued', CURRENT_TIMESTAMP)")) {
                for (UnitPlan u : e.units()) {
                    insert.setString(1, id);
                    insert.setInt(2, u.seq());
                    insert.setInt(3, u.runIndex());
                    insert.setInt(4, u.firstImage());
                    insert.setInt(5, u.imageCount());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return id;
        });
    }

    public Optional<StoredEvaluation> find(String id) {
        return Sql.transaction(dataSource, c -> {
            try (PreparedStatement s = prepare(c, "SELECT * FROM evaluation WHERE id = ?", id);
                 ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Map<String, Integer> byState = new LinkedHashMap<>();
                try (PreparedStatement q = prepare(c, "SELECT state, COUNT(*) FROM evaluation_unit WHERE evaluation_id = ?"
                        + " GROUP BY state", id); ResultSet states = q.executeQuery()) {
                    while (states.next()) {
                        byState.put(states.getString(1), states.getInt(2));
                    }
                }
                Map<String, Integer> leases = new LinkedHashMap<>();
                try (PreparedStatement q = prepare(c, "SELECT lease_owner, COUNT(*) FROM evaluation_unit WHERE evaluation_id = ?"
                        + " AND state = 'running' AND lease_expires >= CURRENT_TIMESTAMP GROUP BY lease_owner ORDER BY lease_owner", id);
                     ResultSet owners = q.executeQuery()) {
                    while (owners.next()) {
                        leases.put(owners.getString(1), owners.getInt(2));
                    }
                }
                return Optional.of(evaluation(r, byState, leases));
            }
        });
    }

    /** The newest evaluations first; {@code model} and {@code state} filter when not null. */
    public List<StoredEvaluation> list(String model, String state, int limit) {
        return list(model, state, limit, null);
    }

    /** The newest evaluations first; {@code model}, {@code state} and {@code owner} filter when not null. */
    public List<StoredEvaluation> list(String model, String state, int limit, String owner) {
        return Sql.transaction(dataSource, c -> {
            StringBuilder sql = new StringBuilder("SELECT e.*, (SELECT COUNT(*) FROM evaluation_unit u WHERE"
                    + " u.evaluation_id = e.id AND u.state = 'done') AS units_done FROM evaluation e WHERE 1 = 1");
            List<Object> parameters = new ArrayList<>();
            if (model != null) {
                sql.append(" AND e.model_name = ?");
                parameters.add(model);
            }
            if (state != null) {
                sql.append(" AND e.state = ?");
                parameters.add(state);
            }
            if (owner != null) {
                sql.append(" AND e.owner = ?");
                parameters.add(owner);
            }
            sql.append(" ORDER BY e.created_at DESC, e.id FETCH FIRST ").append(limit).append(" ROWS ONLY");
            List<StoredEvaluation> found = new ArrayList<>();
            try (PreparedStatement s = prepare(c, sql.toString(), parameters.toArray()); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(evaluation(r, Map.of("done", r.getInt("units_done")), Map.of()));
                }
            }
            return found;
        });
    }

    public Optional<byte[]> images(String evaluationId) {
        return Sql.transaction(dataSource, c -> {
            try (PreparedStatement s = prepare(c, "SELECT images FROM evaluation_images WHERE evaluation_id = ?", evaluationId);
                 ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        });
    }

    /** The finished units of an evaluation, in plan order. */
    public List<DoneUnit> doneUnits(String evaluationId) {
        return Sql.transaction(dataSource, c -> doneUnits(c, evaluationId));
    }

    /**
     * Takes the oldest claimable unit under a lease of {@code lease} for {@code owner}: a queued one, or
     * one whose holder stopped renewing its lease (it died) fewer than {@code maxAttempts} times; never one
     * of an evaluation {@code owner} refused within the last {@code lease}. Marks its evaluation running.
     */
    public Optional<Claim> claim(String owner, Duration lease, int maxAttempts) {
        return Sql.transaction(dataSource, c -> {
            String evaluationId;
            int seq;
            try (PreparedStatement s = prepare(c, "SELECT u.evaluation_id, u.seq FROM evaluation_unit u WHERE " + CLAIMABLE
                    + " AND " + NOT_REFUSED + " ORDER BY u.queued_at, u.evaluation_id, u.seq FETCH FIRST 1 ROWS ONLY"
                    + " FOR UPDATE SKIP LOCKED", maxAttempts, owner, seconds(lease));
                 ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                evaluationId = r.getString(1);
                seq = r.getInt(2);
            }
            String token = UUID.randomUUID().toString();
            update(c, "UPDATE evaluation_unit SET state = 'running', lease_owner = ?, lease_token = ?,"
                    + " lease_expires = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND, attempts = attempts + 1"
                    + " WHERE evaluation_id = ? AND seq = ?", owner, token, seconds(lease), evaluationId, seq);
            update(c, "UPDATE evaluation SET state = 'running', started_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'queued'",
                    evaluationId);
            try (PreparedStatement s = prepare(c, "SELECT run_index, first_image, image_count, attempts FROM evaluation_unit"
                    + " WHERE evaluation_id = ? AND seq = ?", evaluationId, seq); ResultSet r = s.executeQuery()) {
                r.next();
                return Optional.of(new Claim(evaluationId, seq, r.getInt(1), r.getInt(2), r.getInt(3), token, r.getInt(4)));
            }
        });
    }

    /** Extends the lease of a unit this replica holds; false when it no longer does (cancelled, or taken over). */
    public boolean renew(Claim claim, Duration lease) {
        return Sql.transaction(dataSource, c -> update(c, "UPDATE evaluation_unit SET lease_expires = CURRENT_TIMESTAMP"
                + " + CAST(? AS INTEGER) * INTERVAL '1' SECOND WHERE evaluation_id = ? AND seq = ? AND state = 'running'"
                + " AND lease_token = ?", seconds(lease), claim.evaluationId(), claim.seq(), claim.token()) == 1);
    }

    /**
     * Records a unit's results if this replica still holds it, and finishes the evaluation when it was
     * the last: {@code report} turns all finished units into the final report (JSON), in the same transaction.
     *
     * @return false when the lease was lost: the results were dropped, another replica's count stands
     */
    public boolean complete(Claim claim, String owner, String results, long elapsedMs,
                            Function<List<DoneUnit>, String> report) {
        return Sql.transaction(dataSource, c -> {
            if (update(c, "UPDATE evaluation_unit SET state = 'done', results = ?, elapsed_ms = ?, finished_by = ?,"
                    + " lease_expires = NULL WHERE evaluation_id = ? AND seq = ? AND state = 'running' AND lease_token = ?",
                    results, elapsedMs, owner, claim.evaluationId(), claim.seq(), claim.token()) != 1) {
                return false;
            }
            // it runs the evaluation now (reloaded back to the planned version): no longer one that refused it
            update(c, "DELETE FROM evaluation_refusal WHERE evaluation_id = ? AND replica = ?", claim.evaluationId(), owner);
            // lock the evaluation, so that of two replicas finishing its last two units one sees the other's
            try (PreparedStatement s = prepare(c, "SELECT state FROM evaluation WHERE id = ? FOR UPDATE", claim.evaluationId());
                 ResultSet r = s.executeQuery()) {
                if (!r.next() || !"running".equals(r.getString(1))) {
                    return true;
                }
            }
            if (count(c, "SELECT COUNT(*) FROM evaluation_unit WHERE evaluation_id = ? AND state <> 'done'",
                    claim.evaluationId()) == 0) {
                update(c, "UPDATE evaluation SET state = 'succeeded', finished_at = CURRENT_TIMESTAMP, report = ? WHERE id = ?",
                        report.apply(doneUnits(c, claim.evaluationId())), claim.evaluationId());
            }
            return true;
        });
    }

    /** Gives a unit back to the queue without counting the attempt (this replica was too busy to run it). */
    public void release(Claim claim) {
        Sql.transaction(dataSource, c -> update(c, "UPDATE evaluation_unit SET state = 'queued', lease_owner = NULL,"
                + " lease_token = NULL, lease_expires = NULL, attempts = attempts - 1 WHERE evaluation_id = ? AND seq = ?"
                + " AND state = 'running' AND lease_token = ?", claim.evaluationId(), claim.seq(), claim.token()));
    }

    /**
     * Hands back a unit that {@code replica} cannot run — it serves another version of the evaluation's model
     * than the one planned, or not that model — without counting the attempt, and records the refusal: the
     * replica claims none of the evaluation's units for a lease, while replicas that still serve the planned
     * version (old pods in a rolling update) may. Once every live replica (seen within {@code lease}) has
     * refused the evaluation, no replica will run it, and it fails with {@code reason}.
     */
    public Refusal refuse(Claim claim, String replica, String reason, Duration lease) {
        return Sql.transaction(dataSource, c -> {
            if (update(c, "UPDATE evaluation_unit SET state = 'queued', lease_owner = NULL, lease_token = NULL,"
                    + " lease_expires = NULL, attempts = attempts - 1 WHERE evaluation_id = ? AND seq = ?"
                    + " AND state = 'running' AND lease_token = ?", claim.evaluationId(), claim.seq(), claim.token()) != 1) {
                return Refusal.NOT_HELD;
            }
            // units before the evaluation, as claim and complete lock them; it also serialises this replica's
            // workers refusing two units of one evaluation at once (one inserts the refusal, the other updates it)
            try (PreparedStatement s = prepare(c, "SELECT state FROM evaluation WHERE id = ? FOR UPDATE",
                    claim.evaluationId()); ResultSet r = s.executeQuery()) {
                r.next();
            }
            if (update(c, "UPDATE evaluation_refusal SET reason = ?, refused_at = CURRENT_TIMESTAMP WHERE evaluation_id = ?"
                    + " AND replica = ?", reason, claim.evaluationId(), replica) == 0) {
                update(c, "INSERT INTO evaluation_refusal (evaluation_id, replica, reason, refused_at) VALUES (?, ?, ?,"
                        + " CURRENT_TIMESTAMP)", claim.evaluationId(), replica, reason);
            }
            if (count(c, "SELECT COUNT(*) FROM evaluation_replica r WHERE r.name <> ? AND r.seen_at >= " + ago()
                    + " AND NOT EXISTS (SELECT 1 FROM evaluation_refusal f WHERE f.evaluation_id = ? AND f.replica = r.name)",
                    replica, seconds(lease), claim.evaluationId()) > 0) {
                return Refusal.RELEASED;
            }
            fail(c, claim.evaluationId(), reason + " (every live replica refused the evaluation: "
                    + String.join(", ", refusers(c, claim.evaluationId())) + ")");
            return Refusal.FAILED;
        });
    }

    /** Records that {@code replica} runs units and is alive now (its heartbeat). */
    public void seen(String replica) {
        Sql.transaction(dataSource, c -> {
            // one replica's heartbeat is one thread: no other transaction inserts its row meanwhile
            if (update(c, "UPDATE evaluation_replica SET seen_at = CURRENT_TIMESTAMP WHERE name = ?", replica) == 0) {
                update(c, "INSERT INTO evaluation_replica (name, seen_at) VALUES (?, CURRENT_TIMESTAMP)", replica);
            }
            return null;
        });
    }

    /** {@code replica} stops running units (it shuts down): no longer waited for by refused evaluations. */
    public void leave(String replica) {
        Sql.transaction(dataSource, c -> update(c, "DELETE FROM evaluation_replica WHERE name = ?", replica));
    }

    /** Forgets replicas not seen for {@code unseen} (they died without leaving); returns how many. */
    public int forgetReplicas(Duration unseen) {
        return Sql.transaction(dataSource, c -> update(c, "DELETE FROM evaluation_replica WHERE seen_at < " + ago(),
                seconds(unseen)));
    }

    /** A unit failed for a reason another replica would meet too: the whole evaluation fails. */
    public void fail(String evaluationId, String error) {
        Sql.transaction(dataSource, c -> fail(c, evaluationId, error));
    }

    private static int fail(Connection c, String evaluationId, String error) throws SQLException {
        int changed = update(c, "UPDATE evaluation SET state = 'failed', error = ?, finished_at = CURRENT_TIMESTAMP"
                + " WHERE id = ? AND state IN ('queued', 'running')", error, evaluationId);
        update(c, "UPDATE evaluation_unit SET state = 'cancelled', lease_expires = NULL WHERE evaluation_id = ?"
                + " AND state IN ('queued', 'running')", evaluationId);
        return changed;
    }

    private static List<String> refusers(Connection c, String evaluationId) throws SQLException {
        List<String> replicas = new ArrayList<>();
        try (PreparedStatement s = prepare(c, "SELECT replica FROM evaluation_refusal WHERE evaluation_id = ?"
                + " ORDER BY replica", evaluationId); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                replicas.add(r.getString(1));
            }
        }
        return replicas;
    }

    /** Cancels a queued or running evaluation and all its unfinished units; false if it had finished. */
    public boolean cancel(String evaluationId) {
        return Sql.transaction(dataSource, c -> {
            int changed = update(c, "UPDATE evaluation SET state = 'cancelled', finished_at = CURRENT_TIMESTAMP"
                    + " WHERE id = ? AND state IN ('queued', 'running')", evaluationId);
            update(c, "UPDATE evaluation_unit SET state = 'cancelled', lease_expires = NULL WHERE evaluation_id = ?"
                    + " AND state IN ('queued', 'running')", evaluationId);
            return changed == 1;
        });
    }

    /** Deletes an evaluation, its images and units. */
    public boolean delete(String evaluationId) {
        return Sql.transaction(dataSource, c -> update(c, "DELETE FROM evaluation WHERE id = ?", evaluationId) == 1);
    }

    /** Deletes evaluations that finished more than {@code retention} ago; returns how many. */
    public int expire(Duration retention) {
        return Sql.transaction(dataSource, c -> update(c, "DELETE FROM evaluation WHERE finished_at IS NOT NULL"
                + " AND finished_at < CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND", seconds(retention)));
    }

    /**
     * Fails the evaluations of units whose lease expired {@code maxAttempts} times: each claim ended with
     * its replica dying (out of memory, say), and another try would end the same way.
     */
    public List<String> failExhausted(int maxAttempts) {
        return Sql.transaction(dataSource, c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = prepare(c, "SELECT DISTINCT u.evaluation_id, u.seq FROM evaluation_unit u WHERE"
                    + " u.state = 'running' AND u.lease_expires < CURRENT_TIMESTAMP AND u.attempts >= ?", maxAttempts);
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        }).stream().distinct().peek(id -> fail(id, "a unit was started " + maxAttempts + " times and its replica"
                + " stopped each time before finishing it (forger.evaluation.max-attempts); look for replicas that"
                + " ran out of memory or were killed")).toList();
    }

    /** Units in the whole store by state (queued, running, ...): the same numbers on every replica. */
    public Map<String, Integer> unitCounts() {
        return Sql.transaction(dataSource, c -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            try (PreparedStatement s = prepare(c, "SELECT state, COUNT(*) FROM evaluation_unit WHERE state IN"
                    + " ('queued', 'running') GROUP BY state"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getInt(2));
                }
            }
            return counts;
        });
    }

    /** Whether the database answers now (readiness). */
    public boolean reachable() {
        try {
            return Sql.transaction(dataSource, c -> c.isValid(2));
        } catch (StoreException e) {
            return false;
        }
    }

    private static List<DoneUnit> doneUnits(Connection c, String evaluationId) throws SQLException {
        List<DoneUnit> units = new ArrayList<>();
        try (PreparedStatement s = prepare(c, "SELECT seq, run_index, first_image, image_count, results, elapsed_ms"
                + " FROM evaluation_unit WHERE evaluation_id = ? AND state = 'done' ORDER BY seq", evaluationId);
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                units.add(new DoneUnit(r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getString(5), r.getLong(6)));
            }
        }
        return units;
    }

    private static StoredEvaluation evaluation(ResultSet r, Map<String, Integer> byState, Map<String, Integer> leases)
            throws SQLException {
        return new StoredEvaluation(r.getString("id"), r.getString("state"), r.getString("model_name"),
                r.getString("model_version"), r.getString("model_sha256"), r.getString("forger_version"),
                r.getLong("seed"), r.getString("spec"), r.getInt("units_total"), instant(r, "created_at"),
                instant(r, "started_at"), instant(r, "finished_at"), r.getString("error"), r.getString("report"),
                byState, leases, r.getString("owner"));
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static int count(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    /** The database's time a parameter's whole seconds ago. */
    private static String ago() {
        return "CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND";
    }

    /** Whole seconds, at least one: leases and retention are coarse. */
    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }
}
