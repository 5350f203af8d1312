package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** k8s/ parses into typed objects, kustomize renders it, and it agrees with the service's configuration. */
class ManifestsTest {
    private static Kustomize base;
    private static ServiceSettings settings;

    @BeforeAll
    static void render() {
        base = Kustomize.build(Repo.k8s().resolve("base"));
        settings = ServiceSettings.load(Repo.applicationProperties());
    }

    @Test
    void everyManifestFileParsesIntoTypedObjects() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(Repo.k8s())) {
            manifests = files.filter(f -> f.toString().matches(".*\\.ya?ml$"))
                    .filter(f -> !f.getFileName().toString().startsWith("kustomization."))
                    .filter(f -> !f.startsWith(Repo.k8s().resolve("kserve"))) // KServe's own kinds: KServeManifestsTest
                    .sorted().toList();
        }
        assertThat(manifests).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : manifests) {
            String origin = Repo.root().relativize(file).toString();
            List<HasMetadata> objects = KubeObjects.typedAll(Files.readString(file), origin);
            assertThat(objects).as(origin).isNotEmpty();
        }
    }

    @Test
    void baseRendersEveryPartOfTheDeployment() {
        assertThat(base.one(Deployment.class).getMetadata().getName()).isEqualTo("forger");
        base.one(Service.class);
        base.one(HorizontalPodAutoscaler.class);
        base.one(PodDisruptionBudget.class);
        base.one(ServiceMonitor.class);
        assertThat(base.one(PrometheusRule.class).getSpec().getGroups()).isNotEmpty();
        assertThat(base.named(ConfigMap.class, "forger-config")).isPresent();
    }

    @Test
    void dashboardConfigMapCarriesTheSidecarLabelAndTheDashboardFile() throws IOException {
        ConfigMap dashboard = base.named(ConfigMap.class, "forger-dashboard").orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("forger.json")).isEqualTo(Files.readString(Repo.dashboard()));
    }

    @Test
    void everyOverlayRendersAndChangesImageReplicasAndLimits() throws IOException {
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(Repo.k8s().resolve("overlays"))) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(overlays).isNotEmpty();
        Deployment baseDeployment = base.one(Deployment.class);
        for (Path overlay : overlays) {
            Kustomize rendered = Kustomize.build(overlay);
            Deployment d = rendered.one(Deployment.class);
            String name = overlay.getFileName().toString();
            assertThat(container(d).getImage()).as(name + " image").isNotEqualTo(container(baseDeployment).getImage())
                    .contains(":");
            assertThat(d.getSpec().getReplicas()).as(name + " replicas").isNotEqualTo(baseDeployment.getSpec().getReplicas());
            assertThat(container(d).getResources().getLimits()).as(name + " limits")
                    .isNotEqualTo(container(baseDeployment).getResources().getLimits());
            assertThat(rendered.objects()).as(name + " keeps every part of the base")
                    .hasSizeGreaterThanOrEqualTo(base.objects().size());
            HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class);
            assertThat(hpa.getSpec().getMinReplicas()).as(name + ": HPA floor vs. replicas")
                    .isLessThanOrEqualTo(d.getSpec().getReplicas());
        }
    }

    @Test
    void portsProbesAndMetricsPathAgreeWithTheServiceConfiguration() {
        Deployment deployment = base.one(Deployment.class);
        Container c = container(deployment);
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(settings.httpPort());
            assertThat(p.getName()).isEqualTo("http");
        });
        assertProbe(c.getStartupProbe(), settings.startedPath(), "startup");
        assertProbe(c.getLivenessProbe(), settings.livePath(), "liveness");
        assertProbe(c.getReadinessProbe(), settings.readyPath(), "readiness");

        Service service = base.one(Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(base.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
        deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()
                .forEach(t -> assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels()));

        ServiceMonitor monitor = base.one(ServiceMonitor.class);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
        assertThat(endpoint.getPath()).isEqualTo(settings.metricsPath());
        assertThat(endpoint.getPort()).isEqualTo(service.getSpec().getPorts().get(0).getName());

        HorizontalPodAutoscaler hpa = base.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
    }

    @Test
    void podRunsNonRootOnAReadOnlyRootWithWritableTmpAndTheModelsVolumeWhereTheConfigPoints() {
        Deployment deployment = base.one(Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container c = container(deployment);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");

        VolumeMount tmp = mount(c, "/tmp");
        assertThat(tmp.getReadOnly()).as("/tmp must be writable: ONNX Runtime unpacks its libraries there").isNotEqualTo(Boolean.TRUE);
        assertThat(volume(deployment, tmp.getName()).getEmptyDir()).isNotNull();

        ConfigMap config = base.named(ConfigMap.class, "forger-config").orElseThrow();
        assertThat(c.getEnvFrom()).anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
        String modelsDir = config.getData().get("FORGER_MODELS_DIR");
        assertThat(modelsDir).as("FORGER_MODELS_DIR in the ConfigMap").isNotBlank();
        assertThat(volume(deployment, mount(c, modelsDir).getName())).isNotNull();
        // every key is a real forger.* setting: the service refuses unknown ones at start-up, and the
        // live test starts it with exactly this ConfigMap
        assertThat(config.getData().keySet()).allMatch(k -> k.startsWith("FORGER_"));
    }

    @Test
    void clusterProfileTurnsOnJsonLogsAndShutdownFitsTheGracePeriod() {
        Container c = container(base.one(Deployment.class));
        String profiles = env(c, "QUARKUS_PROFILE");
        assertThat(profiles.split(",")).contains("prod", "kube");
        assertThat(settings.raw().getProperty("%kube.quarkus.log.console.json.enabled")).isEqualTo("true");
        assertThat(settings.raw().getProperty("quarkus.log.console.json.enabled")).as("plain logs outside the cluster").isEqualTo("false");

        long shutdown = Long.parseLong(settings.raw().getProperty("%kube.quarkus.shutdown.timeout").replace("s", ""));
        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        long grace = base.one(Deployment.class).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(preStop + shutdown).as("preStop pause + Quarkus drain must end before SIGKILL").isLessThan(grace);
    }

    @Test
    void resourcesAreSetAndRequestsFitInLimits() {
        var resources = container(base.one(Deployment.class)).getResources();
        for (String r : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests().get(r);
            Quantity limit = resources.getLimits().get(r);
            assertThat(request).as(r + " request").isNotNull();
            assertThat(limit).as(r + " limit").isNotNull();
            assertThat(Quantity.getAmountInBytes(request)).as(r).isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
        }
    }

    static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no env " + name));
    }

    private static void assertProbe(Probe probe, String path, String kind) {
        assertThat(probe).as(kind + " probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(kind + " probe path").isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(kind + " probe port").isEqualTo("http");
    }

    private static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + path));
    }

    private static Volume volume(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume named " + name));
    }

    @Test
    void productionSharesOnePostgresqlAmongItsReplicasAndScalesOnQueuedEvaluationUnits() {
        Kustomize production = Kustomize.build(Repo.k8s().resolve("overlays/production"));
        CnpgCluster database = production.one(CnpgCluster.class);
        Container c = container(production.one(Deployment.class));
        String name = database.getSpec().bootstrap().initdb().database();
        assertThat(env(c, "QUARKUS_DATASOURCE_JDBC_URL")).as("the URL names the cluster's read-write Service and database")
                .isEqualTo("jdbc:postgresql://" + database.readWriteService() + ":5432/" + name);
        for (String variable : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            EnvVar var = c.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow();
            assertThat(var.getValueFrom().getSecretKeyRef().getName()).as(variable).isEqualTo(database.applicationSecret());
        }
        assertThat(database.getSpec().instances()).as("a primary and standbys for failover").isGreaterThanOrEqualTo(2);
        assertThat(database.getMetadata().getNamespace()).isEqualTo(production.one(Deployment.class).getMetadata().getNamespace());
        HorizontalPodAutoscaler hpa = production.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource() != null ? m.getResource().getName()
                        : m.getExternal() != null ? m.getExternal().getMetric().getName() : m.getType())
                .contains("cpu", "forger_evaluation_units_queued");
        // the base keeps its embedded store on the writable volume (its root filesystem is read-only)
        String storeDir = base.named(ConfigMap.class, "forger-config").orElseThrow().getData().get("FORGER_STORE_DIR");
        assertThat(storeDir).startsWith(mount(container(base.one(Deployment.class)), "/tmp").getMountPath());
    }
}
