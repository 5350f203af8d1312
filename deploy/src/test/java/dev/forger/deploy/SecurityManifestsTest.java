package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hardening of issue #18 on the rendered manifests: a NetworkPolicy that admits only the ingress/gateway and
 * Prometheus to the pods, pods that meet the Pod Security Standards' restricted profile (checked rule by rule, as
 * the admission controller checks them), a namespace that enforces it, and every secret from a Secret.
 */
class SecurityManifestsTest {
    /** Names of settings that hold secrets: never in a ConfigMap, always from a Secret. */
    static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|API_KEY|CREDENTIAL|PRIVATE_KEY).*");
    /** The volume types the restricted profile allows. */
    static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    /** The namespaces a NetworkPolicy rule may admit: the ingress controller, the gateway and Prometheus. */
    static final Set<String> ADMITTED_NAMESPACES = Set.of("ingress-nginx", "istio-ingress", "monitoring");

    static List<Kustomize> renderings() {
        return List.of(Kustomize.build(Repo.k8s().resolve("base")),
                Kustomize.build(Repo.k8s().resolve("overlays/production")));
    }

    @Test
    void onlyTheIngressTheGatewayAndPrometheusReachThePods() {
        for (Kustomize rendered : renderings()) {
            String name = Repo.root().relativize(rendered.dir()).toString();
            NetworkPolicy policy = rendered.one(NetworkPolicy.class);
            Deployment deployment = rendered.one(Deployment.class);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).as(name + ": the policy selects the pods")
                    .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
            assertThat(policy.getSpec().getPolicyTypes()).as(name).contains("Ingress", "Egress");
            assertThat(policy.getSpec().getIngress()).as(name).isNotEmpty();
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(rule.getFrom()).as(name + ": a rule without peers admits everyone").isNotEmpty();
                assertThat(rule.getPorts()).as(name + ": only the HTTP port").isNotEmpty().allSatisfy(port ->
                        assertThat(port.getPort().getStrVal()).isEqualTo("http"));
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertThat(peer.getIpBlock()).as(name + ": no address ranges").isNull();
                    assertThat(peer.getPodSelector()).as(name + ": peers by namespace (kustomize rewrites pod"
                            + " selectors to Forger's labels)").isNull();
                    assertThat(peer.getNamespaceSelector().getMatchLabels()).as(name)
                            .containsOnlyKeys("kubernetes.io/metadata.name");
                    assertThat(ADMITTED_NAMESPACES).as(name).contains(peer.getNamespaceSelector().getMatchLabels()
                            .get("kubernetes.io/metadata.name"));
                }
            }
            assertThat(policy.getSpec().getIngress()).as(name + ": Prometheus is admitted").anySatisfy(rule ->
                    assertThat(rule.getFrom()).anySatisfy(peer -> assertThat(peer.getNamespaceSelector()
                            .getMatchLabels()).containsValue("monitoring")));
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                    .anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));
        }
    }

    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandard() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Kustomize rendered : renderings()) {
            for (Deployment d : rendered.all(Deployment.class)) {
                violations.addAll(restrictedViolations(rendered.dir() + " " + d.getMetadata().getName(),
                        d.getSpec().getTemplate().getSpec()));
            }
        }
        String example = Files.readString(Repo.k8s().resolve("examples/generation-job.yaml"));
        for (HasMetadata object : KubeObjects.typedAll(example, "examples/generation-job.yaml")) {
            if (object instanceof Job job) {
                violations.addAll(restrictedViolations("generation-job", job.getSpec().getTemplate().getSpec()));
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theProductionNamespaceEnforcesAuditsAndWarnsOnTheRestrictedLevel() {
        Namespace namespace = Kustomize.build(Repo.k8s().resolve("overlays/production")).one(Namespace.class);
        assertThat(namespace.getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }

    @Test
    void secretsComeFromSecretsNeverFromConfigMaps() {
        for (Kustomize rendered : renderings()) {
            String name = Repo.root().relativize(rendered.dir()).toString();
            for (ConfigMap config : rendered.all(ConfigMap.class)) {
                if (config.getData() != null && !config.getMetadata().getName().startsWith("forger-dashboard")) {
                    assertThat(config.getData().keySet()).as(name + " " + config.getMetadata().getName())
                            .noneMatch(key -> SECRET_NAME.matcher(key).matches());
                }
            }
            for (Container c : rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    if (SECRET_NAME.matcher(env.getName()).matches()) {
                        assertThat(env.getValue()).as(name + " " + env.getName() + " has no literal value").isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).as(name + " " + env.getName()
                                + " comes from a Secret").isNotNull();
                    }
                }
            }
        }
        Container production = Kustomize.build(Repo.k8s().resolve("overlays/production")).one(Deployment.class)
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(production.getEnv()).extracting(EnvVar::getName).as("the database password, the OIDC client"
                + " secret and the API keys").contains("QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_OIDC_CREDENTIALS_SECRET",
                "FORGER_SECURITY_API_KEYS");
        ConfigMap config = Kustomize.build(Repo.k8s().resolve("overlays/production"))
                .named(ConfigMap.class, "forger-config").orElseThrow();
        assertThat(config.getData()).as("identity is on in production").containsKey("QUARKUS_OIDC_AUTH_SERVER_URL");
    }

    /** The restricted profile's rules (kubernetes.io/docs/concepts/security/pod-security-standards), one by one. */
    static List<String> restrictedViolations(String origin, PodSpec pod) {
        List<String> found = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            found.add(origin + ": host namespaces");
        }
        for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            Map<?, ?> fields = KubeObjects.JSON.convertValue(volume, Map.class);
            fields.forEach((k, v) -> {
                if (v != null && !k.equals("name") && !RESTRICTED_VOLUMES.contains(k)) {
                    found.add(origin + ": volume " + volume.getName() + " is a " + k);
                }
            });
        }
        boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        boolean podSeccomp = podContext != null && podContext.getSeccompProfile() != null
                && Set.of("RuntimeDefault", "Localhost").contains(podContext.getSeccompProfile().getType());
        if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
            found.add(origin + ": runAsUser 0");
        }
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            String where = origin + " container " + c.getName();
            SecurityContext sc = c.getSecurityContext();
            if (sc == null) {
                found.add(where + ": no securityContext");
                continue;
            }
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                found.add(where + ": privileged");
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                found.add(where + ": allowPrivilegeEscalation is not false");
            }
            if (!podNonRoot && !Boolean.TRUE.equals(sc.getRunAsNonRoot())) {
                found.add(where + ": runAsNonRoot is not true");
            }
            if (Long.valueOf(0).equals(sc.getRunAsUser())) {
                found.add(where + ": runAsUser 0");
            }
            boolean seccomp = sc.getSeccompProfile() != null
                    ? Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType()) : podSeccomp;
            if (!seccomp) {
                found.add(where + ": no RuntimeDefault or Localhost seccomp profile");
            }
            if (sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                    || !sc.getCapabilities().getDrop().contains("ALL")) {
                found.add(where + ": capabilities do not drop ALL");
            } else if (sc.getCapabilities().getAdd() != null && sc.getCapabilities().getAdd().stream()
                    .anyMatch(cap -> !cap.equals("NET_BIND_SERVICE"))) {
                found.add(where + ": adds capabilities beyond NET_BIND_SERVICE");
            }
            // not in the restricted profile itself, but issue #18 asks it of Forger's pods
            if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                found.add(where + ": the root filesystem is writable");
            }
        }
        return found;
    }
}
