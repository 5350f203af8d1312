package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * k8s/kserve/: the ServingRuntime and the InferenceService parse strictly (fabric8 has no KServe models, so the
 * fields Forger uses of KServe's v1alpha1 ServingRuntime and v1beta1 InferenceService are records here, with
 * fabric8's typed Container inside), agree with each other and with the service's configuration, and the
 * packaged jar started with the runtime's environment answers the runtime's probes and serves a bundle from
 * KServe's model folder.
 */
class KServeManifestsTest {
    /** Where KServe's storage initializer puts the storageUri's contents. */
    static final String KSERVE_MODEL_DIR = "/mnt/models";
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record ModelFormat(String name, String version, Boolean autoSelect, Integer priority) {}

    record RuntimeSpec(Map<String, String> annotations, List<ModelFormat> supportedModelFormats,
                       List<String> protocolVersions, Boolean multiModel, Boolean disabled, List<Container> containers,
                       List<Volume> volumes) {}

    record ServingRuntime(String apiVersion, String kind, ObjectMeta metadata, RuntimeSpec spec) {}

    record ModelSpec(ModelFormat modelFormat, String runtime, String protocolVersion, String storageUri,
                     List<EnvVar> env, ResourceRequirements resources) {}

    record Predictor(Integer minReplicas, Integer maxReplicas, ModelSpec model) {}

    record InferenceServiceSpec(Predictor predictor) {}

    record InferenceService(String apiVersion, String kind, ObjectMeta metadata, InferenceServiceSpec spec) {}

    private static ServingRuntime runtime;
    private static InferenceService service;
    private static ServiceSettings settings;

    @BeforeAll
    static void parse() throws IOException {
        Path dir = Repo.k8s().resolve("kserve");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            for (JsonNode doc : KubeObjects.documents(Files.readString(file), file.toString())) {
                String kind = doc.path("kind").asText();
                switch (kind) {
                    case "ServingRuntime" -> runtime = STRICT.treeToValue(doc, ServingRuntime.class);
                    case "InferenceService" -> service = STRICT.treeToValue(doc, InferenceService.class);
                    default -> throw new AssertionError(file + ": unexpected kind " + kind);
                }
            }
        }
        assertThat(runtime).as("a ServingRuntime in k8s/kserve").isNotNull();
        assertThat(service).as("an InferenceService in k8s/kserve").isNotNull();
        settings = ServiceSettings.load(Repo.applicationProperties());
    }

    @Test
    void kindsAndApiVersionsAreKServes() {
        assertThat(runtime.apiVersion()).isEqualTo("serving.kserve.io/v1alpha1");
        assertThat(service.apiVersion()).isEqualTo("serving.kserve.io/v1beta1");
        assertThat(KubeObjects.unknownFields(runtime.spec().containers())).as("container fields").isEmpty();
        assertThat(KubeObjects.unknownFields(runtime.metadata())).isEmpty();
        assertThat(KubeObjects.unknownFields(service.spec().predictor().model().env())).isEmpty();
    }

    @Test
    void runtimeServesTheProtocolOnTheServicePortWithKServesModelFolder() {
        assertThat(runtime.spec().protocolVersions()).contains("v2", "grpc-v2");
        assertThat(runtime.spec().containers()).hasSize(1);
        Container c = runtime.spec().containers().get(0);
        assertThat(c.getName()).as("KServe's name for the serving container").isEqualTo("kserve-container");
        assertThat(c.getPorts()).singleElement().satisfies((ContainerPort p) -> {
            assertThat(p.getContainerPort()).isEqualTo(settings.httpPort());
            assertThat(p.getName()).as("h2c: HTTP/2 cleartext for gRPC on the one port").isEqualTo("h2c");
        });
        assertThat(settings.raw().getProperty("quarkus.grpc.server.use-separate-server"))
                .as("gRPC on the HTTP port, as the one container port needs").isEqualTo("false");
        assertProbe(c.getReadinessProbe(), "/v2/health/ready");
        assertProbe(c.getLivenessProbe(), "/v2/health/live");
        assertThat(env(c.getEnv()).get("FORGER_MODELS_DIR")).isEqualTo(KSERVE_MODEL_DIR);
        assertThat(env(c.getEnv()).keySet()).allMatch(k -> k.startsWith("FORGER_") || k.startsWith("QUARKUS_")
                || k.equals("JAVA_TOOL_OPTIONS"));
        assertThat(runtime.spec().annotations()).containsEntry("prometheus.kserve.io/port",
                Integer.toString(settings.httpPort())).containsEntry("prometheus.kserve.io/path", settings.metricsPath());
    }

    @Test
    void inferenceServiceUsesTheRuntimeAndItsFormat() {
        ModelSpec model = service.spec().predictor().model();
        assertThat(model.runtime()).isEqualTo(runtime.metadata().getName());
        assertThat(runtime.spec().supportedModelFormats()).extracting(ModelFormat::name)
                .contains(model.modelFormat().name());
        assertThat(runtime.spec().protocolVersions()).contains(model.protocolVersion());
        assertThat(model.storageUri()).matches("[a-z0-9]+://.+");
        assertThat(env(model.env()).keySet()).allMatch(k -> k.startsWith("FORGER_"));
    }

    /**
     * The packaged jar with the runtime's and the InferenceService's environment, and a bundle in the folder
     * KServe fills: the probes answer 200 and the bundle's protocol models are ready.
     */
    @Test
    void theJarAnswersTheRuntimesProbesAndServesTheBundleFromItsModelFolder() throws Exception {
        Path models = Files.createDirectories(Repo.work().resolve("kserve-models"));
        Path bundle = models.resolve("mnist-dcgan");
        Path embedded = Repo.root().resolve("service/src/main/resources/models/mnist-dcgan");
        Files.createDirectories(bundle);
        try (Stream<Path> files = Files.list(embedded)) {
            for (Path f : files.toList()) {
                Files.copy(f, bundle.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Map<String, String> env = new HashMap<>(env(runtime.spec().containers().get(0).getEnv()));
        env.putAll(env(service.spec().predictor().model().env()));
        env.put("FORGER_MODELS_DIR", models.toString()); // KServe's /mnt/models, here
        Container c = runtime.spec().containers().get(0);
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceProcess jar = ServiceProcess.start(Repo.serviceJar(), List.of("-Xmx384m"), env,
                Repo.work().resolve("kserve-service.log"))) {
            for (Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(jar.uri(probe.getHttpGet().getPath())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(probe.getHttpGet().getPath() + ": " + r.body()).isEqualTo(200);
            }
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                    jar.uri("/v2/models/mnist-dcgan-discriminator/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(Files.readString(jar.log())).as("served from the model folder, not the jar")
                    .contains("loaded model 'mnist-dcgan'").contains(bundle.toString());
        }
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path + " probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(settings.httpPort());
    }

    private static Map<String, String> env(List<EnvVar> vars) {
        Map<String, String> out = new HashMap<>();
        if (vars != null) {
            vars.forEach(v -> out.put(v.getName(), v.getValue()));
        }
        return out;
    }
}
