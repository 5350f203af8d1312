package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service jar, started as the base Deployment configures it, under a short load while a real
 * Prometheus scrapes it every second; then every PromQL expression of the dashboard and the rules is
 * evaluated through Prometheus's HTTP API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveObservabilityTest {
    private static final String RATE_INTERVAL = "1m";
    /** Series no load on the service can produce: expressions on them may return nothing. */
    private static final Map<String, String> NEVER_IN_THIS_SCRAPE = Map.of(
            "kube_pod_container_status_restarts_total",
            "kube-state-metrics' series (pod restarts): in a cluster it is scraped beside the service; here only the service is",
            "forger_robustness_regression_ratio",
            "needs evaluations of two versions of one model at the same settings; this jar serves one version");

    private Kustomize base;
    private ServiceProcess service;
    private PrometheusServer prometheus;
    private Load.Report load;
    private double evaluationTime;
    private Set<String> exportedMetrics;
    /** metric name → why an expression on it may return nothing in this run */
    private final Map<String, String> mayBeAbsent = new LinkedHashMap<>(NEVER_IN_THIS_SCRAPE);

    @BeforeAll
    void startServiceAndPrometheusAndRunTheLoad() throws Exception {
        base = Kustomize.build(Repo.k8s().resolve("base"));
        Deployment deployment = base.one(Deployment.class);
        Container container = ManifestsTest.container(deployment);
        Path work = Repo.work().resolve("live");
        Path models = Files.createDirectories(work.resolve("models"));

        Map<String, String> env = new LinkedHashMap<>(base.named(ConfigMap.class, "forger-config").orElseThrow().getData());
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        // test overrides: an empty models folder in place of the (empty) volume, and a batch queue small
        // enough that the burst overflows it, so that queue-full rejections and 503s really happen
        env.put("FORGER_MODELS_DIR", models.toString());
        // the embedded evaluation store in this run's folder, not in a folder other builds share
        env.put("FORGER_STORE_DIR", work.resolve("store").toString());
        env.put("FORGER_BATCHING_QUEUE_CAPACITY", "4");
        long memoryLimit = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")).longValueExact();
        // what the container's cgroup limits tell the JVM: memory for the heap percentage, and 2 cores
        List<String> jvm = List.of("-XX:MaxRAM=" + memoryLimit, "-XX:ActiveProcessorCount=2");

        service = ServiceProcess.start(Repo.serviceJar(), jvm, env, work.resolve("service.log"));
        ServiceMonitor monitor = base.one(ServiceMonitor.class);
        // the job label as the operator sets it: the value of the Service's label named by jobLabel
        String job = base.one(Service.class).getMetadata().getLabels().get(monitor.getSpec().getJobLabel());
        assertThat(job).as("the Service's " + monitor.getSpec().getJobLabel() + " label").isEqualTo("forger");
        Path rules = AlertRules.writeRulesFile(work.resolve("prometheus/forger-rules.yml"));
        prometheus = PrometheusServer.start(work.resolve("prometheus"), new PrometheusServer.Target(job,
                        "127.0.0.1:" + service.port(), monitor.getSpec().getEndpoints().get(0).getPath(), "forger-ci", "forger", "forger-0"),
                rules, "1s");
        prometheus.awaitScrapes(2, Duration.ofSeconds(30));

        load = new Load(service).run(4, Duration.ofSeconds(15), 16);
        prometheus.awaitScrapes(3, Duration.ofSeconds(30));
        evaluationTime = System.currentTimeMillis() / 1000.0;
        exportedMetrics = metricNames();

        writeMeasurements(work.resolve("measurements.txt"), memoryLimit);
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theLoadReachedEveryPath() {
        assertThat(load.count("generate-grid", 200)).as("grid generations " + load.answers()).isPositive();
        assertThat(load.count("generate-npy", 200)).as("npy generations " + load.answers()).isPositive();
        assertThat(load.count("score", 200)).as("scores " + load.answers()).isPositive();
        assertThat(load.only("bad-count", 400)).as("count out of range " + load.answers()).isTrue();
        assertThat(load.only("bad-image", 415)).as("not an image " + load.answers()).isTrue();
        assertThat(load.only("bad-path", 404)).as("unknown path " + load.answers()).isTrue();
        assertThat(load.count("burst", 503)).as("the burst overflows the batch queue " + load.answers()).isPositive();
        for (String attack : List.of("attack-fgsm", "attack-pgd")) {
            assertThat(load.count(attack, 200)).as(attack + " " + load.answers()).isPositive();
        }
        assertThat(load.count("evaluate-succeeded", 200)).as("the load's evaluation completed " + load.answers()).isEqualTo(1);
        assertThat(load.answers().values()).as("no connection failed").noneMatch(byStatus -> byStatus.containsKey(0));
    }

    @Test
    void everyDashboardQueryParsesAndReturnsData() throws IOException {
        Dashboard dashboard = new Dashboard(Repo.dashboard());
        List<Dashboard.Query> queries = new ArrayList<>(dashboard.panelQueries());
        queries.addAll(dashboard.variableQueries());
        assertThat(queries).hasSizeGreaterThanOrEqualTo(25);
        List<String> problems = new ArrayList<>();
        for (Dashboard.Query q : queries) {
            problems.addAll(evaluate(q.where(), dashboard.substitute(q.expr(), RATE_INTERVAL)));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRuleExpressionParsesAndItsSignalReturnsData() throws IOException {
        List<String> problems = new ArrayList<>();
        for (AlertRules.Rule rule : AlertRules.all()) {
            JsonNode whole = prometheus.query(rule.expr(), evaluationTime);
            if (!"success".equals(whole.path("status").asText())) {
                problems.add("rule " + rule.name() + ": " + whole.path("errorType").asText() + ": " + whole.path("error").asText());
                continue;
            }
            problems.addAll(evaluate("rule " + rule.name() + " (signal)", rule.signal()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void prometheusEvaluatesEveryRuleWithoutErrors() throws IOException {
        JsonNode groups = prometheus.get("/api/v1/rules").path("data").path("groups");
        List<String> seen = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                seen.add(rule.path("name").asText());
                assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError").asText())
                        .isEqualTo("ok");
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(AlertRules.all().stream().map(AlertRules.Rule::name).toList());
    }

    @Test
    void theDashboardUsesOnlyMetricsTheServiceExports() throws IOException {
        Dashboard dashboard = new Dashboard(Repo.dashboard());
        Set<String> missing = new HashSet<>();
        for (Dashboard.Query q : dashboard.panelQueries()) {
            q.metrics().stream().filter(m -> !exportedMetrics.contains(m) && !mayBeAbsent.containsKey(m)).forEach(missing::add);
        }
        assertThat(missing).as("metrics the dashboard reads that the scrape lacks").isEmpty();
    }

    @Test
    void theScrapeTargetIsUpOnTheServiceMonitorsPath() {
        JsonNode targets = prometheus.get("/api/v1/targets").path("data").path("activeTargets");
        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).path("health").asText()).as(targets.get(0).path("lastError").asText()).isEqualTo("up");
    }

    @Test
    void theDeploymentsProbesAnswerUp() throws Exception {
        Container c = ManifestsTest.container(base.one(Deployment.class));
        HttpClient client = HttpClient.newHttpClient();
        for (var probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
            String path = probe.getHttpGet().getPath();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(service.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).contains("\"UP\"");
        }
    }

    @Test
    void theKubeProfileLogsJson() throws IOException {
        List<String> lines = Files.readAllLines(service.log());
        int json = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("Picked up JAVA_TOOL_OPTIONS")) {
                continue;   // the JVM's own notice on stderr, before any logging exists
            }
            JsonNode record = KubeObjects.JSON.readTree(line);
            assertThat(record.has("level") && record.has("message")).as(line).isTrue();
            json++;
        }
        assertThat(json).isPositive();
        assertThat(String.join("\n", lines)).contains("loaded model");
    }

    @Test
    void residentMemoryUnderLoadStaysWithinTheMemoryLimit() {
        long limit = Quantity.getAmountInBytes(ManifestsTest.container(base.one(Deployment.class)).getResources()
                .getLimits().get("memory")).longValueExact();
        assertThat(load.peakRssBytes()).as("peak RSS").isPositive().isLessThan(limit);
    }

    /** Parse errors, and empty results unless every metric of the expression may be absent in this run. */
    private List<String> evaluate(String where, String promql) {
        JsonNode answer = prometheus.query(promql, evaluationTime);
        if (!"success".equals(answer.path("status").asText())) {
            return List.of(where + ": " + answer.path("errorType").asText() + ": " + answer.path("error").asText() + " in " + promql);
        }
        if (!answer.path("data").path("result").isEmpty()) {
            return List.of();
        }
        Set<String> metrics = new Dashboard.Query(where, promql).metrics();
        if (!metrics.isEmpty() && metrics.stream().anyMatch(mayBeAbsent::containsKey)) {
            return List.of();
        }
        return List.of(where + ": no data for " + promql);
    }

    private Set<String> metricNames() {
        Set<String> names = new HashSet<>();
        prometheus.get("/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
        return names;
    }

    private void writeMeasurements(Path file, long memoryLimit) throws IOException {
        String text = ("load: %s%npeak RSS: %.0f MiB (memory limit %d MiB)%nCPU: %.1f s over %.1f s of load = %.2f cores%n"
                + "may return no data in this run: %s%n").formatted(
                load.answers(), load.peakRssBytes() / 1048576.0, memoryLimit / 1048576, load.cpuSeconds(), load.wallSeconds(),
                load.cpuSeconds() / load.wallSeconds(), mayBeAbsent);
        Files.writeString(file, text);
        System.out.print(text);
    }
}
