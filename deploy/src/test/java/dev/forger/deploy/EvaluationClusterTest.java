package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Robustness evaluations as an operator runs them, with real parts only: the packaged service jar,
 * its embedded store in a folder, then a real PostgreSQL, three replicas on it and a real round-robin
 * HAProxy in front, every request going through the balancer. A replica is killed with SIGKILL in the
 * middle of an evaluation, another evaluation is cancelled, all replicas are restarted, and the reports
 * must come out exactly as the single jar made them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluationClusterTest {
    /** 256 generated digits, three attacks at three epsilons: 9 runs x 8 slices of 32 = 72 units. */
    private static final Map<String, Object> SWEEP = Map.of("count", 256, "seed", 11,
            "attacks", List.of(Map.of("method", "fgsm"), Map.of("method", "pgd", "steps", 30),
                    Map.of("method", "square", "queries", 300)),
            "epsilons", List.of(0.0157, 0.0314, 0.0627));
    private static final int SWEEP_UNITS = 72;
    /** Long units (pgd with 400 steps) so that every replica is inside one when it is cancelled. */
    private static final Map<String, Object> LONG = Map.of("count", 256, "seed", 3,
            "attacks", List.of(Map.of("method", "pgd", "steps", 400)), "epsilons", List.of(0.01, 0.02, 0.03));
    private static final Pattern SERIES = Pattern.compile("^(\\w+)\\{([^}]*)} ([0-9.eE+-]+)$");

    private final Path work = Repo.work().resolve("evaluation-cluster");
    private final ExecutorService starter = Executors.newFixedThreadPool(3);
    private JsonNode reference;
    private double singleJarSeconds;

    /** Settings of every jar here: short leases so a dead replica's units come back in seconds. */
    private static Map<String, String> settings() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FORGER_EVALUATION_LEASE", "3s");
        env.put("FORGER_EVALUATION_HEARTBEAT", "500ms");
        env.put("FORGER_EVALUATION_WORKERS", "2");
        env.put("FORGER_EVALUATION_UNIT_IMAGES", "32");
        env.put("FORGER_EVALUATION_POLL", "200ms");
        return env;
    }

    private static List<String> jvm() {
        return List.of("-Xmx512m", "-XX:ActiveProcessorCount=2");
    }

    @Test
    @Order(1)
    void aReportInTheEmbeddedStoreSurvivesARestartOfTheSingleJar() throws IOException {
        Map<String, String> env = settings();
        env.put("FORGER_STORE_DIR", work.resolve("single/store").toString());
        deleteRecursively(work.resolve("single"));
        int port = Ports.free();
        String id;
        try (ServiceProcess jar = ServiceProcess.start(Repo.serviceJar(), jvm(), env, work.resolve("single/service.log"), port)) {
            String base = "http://127.0.0.1:" + port;
            long start = System.nanoTime();
            id = submit(base, SWEEP);
            JsonNode done = awaitFinished(base, id, 600);
            singleJarSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("progress").path("done").asInt()).isEqualTo(SWEEP_UNITS);
            reference = done.path("report");
            assertThat(reference.path("sweep")).hasSize(9);
            assertThat(done.path("model").path("sha256").asText()).hasSize(64);
        }
        try (ServiceProcess again = ServiceProcess.start(Repo.serviceJar(), jvm(), env, work.resolve("single/service.log"), port)) {
            JsonNode back = Http.get("http://127.0.0.1:" + port + "/api/v1/evaluate/" + id).expect(200, "the report after a restart").json();
            assertThat(back.path("state").asText()).isEqualTo("succeeded");
            assertThat(back.path("report")).as("the report read back after the restart").isEqualTo(reference);
            JsonNode history = Http.get("http://127.0.0.1:" + port + "/api/v1/evaluations?state=succeeded").expect(200, "history").json();
            assertThat(history.findValuesAsText("id")).contains(id);
        }
        System.out.printf("[evaluation-cluster] single jar, embedded store: %d units in %.1f s (load %s)%n", SWEEP_UNITS,
                singleJarSeconds, loadAverage());
    }

    @Test
    @Order(2)
    void threeReplicasOnPostgresqlBehindABalancerSurviveAKillACancelAndARestart() throws Exception {
        assertThat(reference).as("the single-jar reference of the first test").isNotNull();
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, String> env = settings();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
            env.put("QUARKUS_DATASOURCE_PASSWORD", "unused-with-trust-auth");
            env.put("FORGER_STORE_DIR", work.resolve("cluster/unused-embedded-store").toString());
            List<Integer> ports = List.of(Ports.free(), Ports.free(), Ports.free());
            List<ServiceProcess> replicas = startAll(env, ports);
            try (Haproxy balancer = Haproxy.start(work.resolve("cluster/haproxy"), ports, "/q/health/ready")) {
                // --- an evaluation through the balancer; the replica holding the most units is killed mid-run
                long start = System.nanoTime();
                String sweep = submit(balancer.url(""), SWEEP);
                Killed killed = null;
                JsonNode status;
                int polls = 0;
                while (true) {
                    status = Http.get(balancer.url("/api/v1/evaluate/" + sweep)).expect(200, "poll " + ++polls).json();
                    int done = status.path("progress").path("done").asInt();
                    if (killed == null && done >= SWEEP_UNITS / 4 && status.path("leases").size() > 0) {
                        killed = killBusiest(status.path("leases"), replicas, done);
                    }
                    if (List.of("succeeded", "failed", "cancelled").contains(status.path("state").asText())) {
                        break;
                    }
                    assertThat((System.nanoTime() - start) / 1e9).as("seconds for the sweep").isLessThan(900);
                    ServiceProcess.sleep(1000);
                }
                double clusterSeconds = (System.nanoTime() - start) / 1e9;
                assertThat(killed).as("a replica was killed mid-run (the job must not finish before a quarter)").isNotNull();
                assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("succeeded");
                assertThat(status.path("progress").path("done").asInt()).isEqualTo(SWEEP_UNITS);
                assertThat(withoutTimes(status.path("report"))).as("the report, however the units were spread")
                        .isEqualTo(withoutTimes(reference));
                // in the database: every unit done once; the killed replica's units were redone by others
                assertThat(postgres.query("SELECT count(*) || ' ' || count(DISTINCT seq) || ' ' || sum(CASE WHEN state = 'done'"
                        + " THEN 1 ELSE 0 END) FROM evaluation_unit WHERE evaluation_id = '" + sweep + "'"))
                        .isEqualTo(SWEEP_UNITS + " " + SWEEP_UNITS + " " + SWEEP_UNITS);
                String redone = postgres.query("SELECT count(*) || ' ' || coalesce(sum(elapsed_ms), 0) FROM evaluation_unit"
                        + " WHERE evaluation_id = '" + sweep + "' AND attempts > 1");
                int redoneUnits = Integer.parseInt(redone.split(" ")[0]);
                assertThat(redoneUnits).as("units the killed replica held, run again elsewhere").isBetween(1, killed.leases());
                assertThat(postgres.query("SELECT count(*) FROM evaluation_unit WHERE evaluation_id = '" + sweep
                        + "' AND finished_by = '" + killed.name() + "' AND attempts > 1")).isEqualTo("0");
                double unitMs = Double.parseDouble(postgres.query("SELECT avg(elapsed_ms) FROM evaluation_unit WHERE evaluation_id = '"
                        + sweep + "'"));
                List<ServiceProcess> alive = replicas.stream().filter(ServiceProcess::alive).toList();
                System.out.printf("[evaluation-cluster] 3 replicas on PostgreSQL behind HAProxy: %d units in %.1f s with one"
                                + " replica killed after %d units (it held %d; %d redone, %s ms of unit work repeated); mean unit"
                                + " %.0f ms of which store calls: claim %.1f ms, complete %.1f ms; single jar: %.1f s; %d polls,"
                                + " all 200 (load %s)%n", SWEEP_UNITS, clusterSeconds, killed.doneAtKill(), killed.leases(),
                        redoneUnits, redone.split(" ")[1], unitMs, meanMillis(alive, "forger_evaluation_store_seconds", "claim"),
                        meanMillis(alive, "forger_evaluation_store_seconds", "complete"), singleJarSeconds, polls, loadAverage());

                // --- the killed replica comes back; a long evaluation is cancelled while every replica works on it
                replicas.set(killed.index(), ServiceProcess.start(Repo.serviceJar(), jvm(), env,
                        work.resolve("cluster/replica-" + (killed.index() + 1) + ".log"), ports.get(killed.index())));
                Map<Integer, Double> stoppedBefore = stoppedUnits(replicas);
                String longJob = submit(balancer.url(""), LONG);
                JsonNode running = awaitLeasesOnEveryReplica(balancer, longJob, replicas);
                JsonNode cancelled = Http.delete(balancer.url("/api/v1/evaluate/" + longJob)).expect(200, "DELETE").json();
                assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
                assertThat(running.path("progress").path("done").asInt()).isLessThan(24);
                awaitEveryReplicaStopped(replicas, stoppedBefore);
                String doneAtCancel = postgres.query("SELECT count(*) FROM evaluation_unit WHERE evaluation_id = '" + longJob
                        + "' AND state = 'done'");
                ServiceProcess.sleep(2000);
                assertThat(postgres.query("SELECT count(*) FROM evaluation_unit WHERE evaluation_id = '" + longJob
                        + "' AND state IN ('running', 'queued')")).as("units left to run after the cancel").isEqualTo("0");
                assertThat(postgres.query("SELECT count(*) FROM evaluation_unit WHERE evaluation_id = '" + longJob
                        + "' AND state = 'done'")).as("units finished after the cancel").isEqualTo(doneAtCancel);

                // --- every replica restarts; both reports come back through the balancer
                replicas.forEach(ServiceProcess::close);
                replicas = startAll(env, ports);
                ServiceProcess.sleep(2500); // the balancer's readiness checks find the replicas again
                JsonNode sweepBack = Http.get(balancer.url("/api/v1/evaluate/" + sweep)).expect(200, "the sweep after a restart").json();
                assertThat(sweepBack.path("state").asText()).isEqualTo("succeeded");
                assertThat(sweepBack.path("report")).isEqualTo(status.path("report"));
                JsonNode longBack = Http.get(balancer.url("/api/v1/evaluate/" + longJob)).expect(200, "the cancelled job after a restart").json();
                assertThat(longBack.path("state").asText()).isEqualTo("cancelled");
                JsonNode history = Http.get(balancer.url("/api/v1/evaluations?limit=10")).expect(200, "history").json();
                assertThat(history.findValuesAsText("id")).contains(sweep, longJob);
            } finally {
                replicas.forEach(ServiceProcess::close);
            }
        }
    }

    private record Killed(int index, String name, int leases, int doneAtKill) {}

    private static Killed killBusiest(JsonNode leases, List<ServiceProcess> replicas, int done) {
        String busiest = null;
        int most = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = leases.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().asInt() > most) {
                busiest = e.getKey();
                most = e.getValue().asInt();
            }
        }
        long pid = Long.parseLong(busiest.substring(busiest.lastIndexOf('/') + 1));
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).pid() == pid) {
                replicas.get(i).kill();
                return new Killed(i, busiest, most, done);
            }
        }
        throw new AssertionError("lease holder " + busiest + " is none of the replicas started here");
    }

    private static JsonNode awaitLeasesOnEveryReplica(Haproxy balancer, String job, List<ServiceProcess> replicas) {
        for (int i = 0; i < 120; i++) {
            JsonNode status = Http.get(balancer.url("/api/v1/evaluate/" + job)).expect(200, "poll").json();
            List<String> holders = new ArrayList<>();
            status.path("leases").fieldNames().forEachRemaining(holders::add);
            if (replicas.stream().allMatch(r -> holders.stream().anyMatch(h -> h.endsWith("/" + r.pid())))) {
                return status;
            }
            ServiceProcess.sleep(1000);
        }
        throw new AssertionError("the long evaluation never had a unit on every replica");
    }

    /** Each replica's count of units it stopped in the middle (forger_evaluation_units_processed_total{outcome="stopped"}). */
    private static Map<Integer, Double> stoppedUnits(List<ServiceProcess> replicas) {
        Map<Integer, Double> stopped = new LinkedHashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            String metrics = Http.getText(replicas.get(i).uri("/q/metrics").toString()).expect(200, "metrics").body();
            double value = 0;
            for (String line : metrics.split("\n")) {
                Matcher m = SERIES.matcher(line);
                if (m.matches() && m.group(1).equals("forger_evaluation_units_processed_total")
                        && m.group(2).contains("outcome=\"stopped\"")) {
                    value += Double.parseDouble(m.group(3));
                }
            }
            stopped.put(i, value);
        }
        return stopped;
    }

    /** Mean of a timer over replicas, in ms: sum of its _sum over sum of its _count, for one operation label. */
    private static double meanMillis(List<ServiceProcess> replicas, String timer, String operation) {
        double sum = 0;
        double count = 0;
        for (ServiceProcess replica : replicas) {
            String metrics = Http.getText(replica.uri("/q/metrics").toString()).expect(200, "metrics").body();
            for (String line : metrics.split("\n")) {
                Matcher m = SERIES.matcher(line);
                if (m.matches() && m.group(2).contains("operation=\"" + operation + "\"")) {
                    if (m.group(1).equals(timer + "_sum")) {
                        sum += Double.parseDouble(m.group(3));
                    } else if (m.group(1).equals(timer + "_count")) {
                        count += Double.parseDouble(m.group(3));
                    }
                }
            }
        }
        return count == 0 ? Double.NaN : 1000 * sum / count;
    }

    private static void awaitEveryReplicaStopped(List<ServiceProcess> replicas, Map<Integer, Double> before) {
        Map<Integer, Double> now = Map.of();
        for (int i = 0; i < 30; i++) {
            now = stoppedUnits(replicas);
            Map<Integer, Double> finalNow = now;
            if (before.keySet().stream().allMatch(r -> finalNow.get(r) > before.get(r))) {
                return;
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("not every replica stopped a unit after the cancel: before " + before + ", now " + now);
    }

    private List<ServiceProcess> startAll(Map<String, String> env, List<Integer> ports) throws Exception {
        List<Future<ServiceProcess>> starting = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            int index = i;
            starting.add(starter.submit(() -> ServiceProcess.start(Repo.serviceJar(), jvm(), env,
                    work.resolve("cluster/replica-" + (index + 1) + ".log"), ports.get(index))));
        }
        List<ServiceProcess> started = new ArrayList<>();
        Exception failure = null;
        for (Future<ServiceProcess> f : starting) {
            try {
                started.add(f.get());
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure != null) {
            started.forEach(ServiceProcess::close); // none of them may outlive the test
            throw failure;
        }
        return started;
    }

    private static String submit(String base, Map<String, Object> body) {
        Http.Answer accepted = Http.postJson(base + "/api/v1/evaluate", body).expect(202, "POST /api/v1/evaluate");
        return accepted.json().path("id").asText();
    }

    private static JsonNode awaitFinished(String base, String id, int seconds) {
        for (int i = 0; i < seconds; i++) {
            JsonNode status = Http.get(base + "/api/v1/evaluate/" + id).expect(200, "poll").json();
            if (List.of("succeeded", "failed", "cancelled").contains(status.path("state").asText())) {
                return status;
            }
            ServiceProcess.sleep(1000);
        }
        throw new AssertionError("evaluation " + id + " did not finish in " + seconds + " s");
    }

    /** The report without elapsedMs: work time differs from run to run, every result must not. */
    private static JsonNode withoutTimes(JsonNode report) {
        JsonNode copy = report.deepCopy();
        for (String list : List.of("sweep", "minimal")) {
            copy.path(list).forEach(point -> ((ObjectNode) point).remove("elapsedMs"));
        }
        return copy;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterAll
    void stopStarter() {
        starter.shutdownNow();
    }
}
