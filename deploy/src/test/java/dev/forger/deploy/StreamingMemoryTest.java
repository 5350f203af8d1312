package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged service, started as the Deployment would (its ConfigMap and env, the container's memory
 * limit and 2 cores), streams 200,000 generated images as one npy in constant memory: the answer arrives
 * whole and parses, and the process's resident memory grows by less than 100 MB while it streams
 * (sampled from /proc every 100 ms, against the level after a warm-up stream).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingMemoryTest {
    static final long COUNT = 200_000;
    static final int IMAGE_FLOATS = 32 * 32;
    static final long MAX_GROWTH = 100L << 20;

    private final Path work = Repo.work().resolve("streaming");
    private final HttpClient client = HttpClient.newHttpClient();
    private ServiceProcess service;

    @BeforeAll
    void startTheServiceAsTheDeploymentWould() throws IOException {
        Kustomize base = Kustomize.build(Repo.k8s().resolve("base"));
        Container container = ManifestsTest.container(base.one(Deployment.class));
        Map<String, String> env = new LinkedHashMap<>(base.named(ConfigMap.class, "forger-config").orElseThrow().getData());
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        env.remove("FORGER_MODELS_DIR"); // the embedded default model alone
        long memoryLimit = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")).longValueExact();
        List<String> jvm = List.of("-XX:MaxRAM=" + memoryLimit, "-XX:ActiveProcessorCount=2");
        service = ServiceProcess.start(Repo.serviceJar(), jvm, env, work.resolve("service.log"));
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void twoHundredThousandImagesStreamCompleteInConstantMemory() throws Exception {
        // warm-up: the JIT compiles the path and the heap settles at its working size
        assertThat(read(client, service, 30_000, 2).images()).isEqualTo(30_000);
        long baseline = service.residentBytes();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(service.residentBytes(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        Stream stream;
        try {
            stream = read(client, service, COUNT, 7);
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("streamed %d images in %.1f s (%.0f images/s); RSS %d MB before, peak %d MB (load %s)%n",
                stream.images(), seconds, stream.images() / seconds, baseline >> 20, peak.get() >> 20,
                java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
        assertThat(stream.images()).isEqualTo(COUNT);
        assertThat(stream.outOfRange()).as("values outside [-1, 1] or not finite").isZero();
        assertThat(peak.get() - baseline).as("resident memory growth while streaming, bytes").isLessThan(MAX_GROWTH);
    }

    /**
     * k8s/examples/generation-job.yaml's command, run for each completion index against the service (with a
     * smaller shard size): the shards, concatenated in index order, are the one whole stream bit for bit.
     */
    @Test
    void theShardedJobExampleConcatenatesIntoTheWholeStream() throws Exception {
        List<JsonNode> docs = KubeObjects.documents(Files.readString(Repo.k8s().resolve("examples/generation-job.yaml")),
                "generation-job.yaml");
        JsonNode job = docs.stream().filter(d -> "Job".equals(d.path("kind").asText())).findFirst().orElseThrow();
        assertThat(job.path("apiVersion").asText()).isEqualTo("batch/v1");
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("Indexed");
        assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
        JsonNode shard = job.at("/spec/template/spec/containers/0");
        List<String> command = new ArrayList<>();
        shard.path("command").forEach(c -> command.add(c.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        shard.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertThat(env).containsKeys("FORGER_URL", "SEED", "SHARD_SIZE", "OUT");
        String claim = job.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText();
        assertThat(docs).anySatisfy(d -> assertThat(d.at("/metadata/name").asText()).isEqualTo(claim));

        int shards = 4;
        int shardSize = 700;
        Path out = Files.createDirectories(work.resolve("shards"));
        Tools.require("curl", "curl");
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        for (int index = 0; index < shards; index++) {
            ProcessBuilder pod = new ProcessBuilder(command).redirectErrorStream(true);
            pod.environment().putAll(env);
            pod.environment().putAll(Map.of("FORGER_URL", "http://127.0.0.1:" + service.port(),
                    "SHARD_SIZE", Integer.toString(shardSize), "OUT", out.toString(),
                    "JOB_COMPLETION_INDEX", Integer.toString(index)));
            Process p = pod.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(log).isZero();
            Path file = out.resolve(String.format("shard-%05d.npy", index));
            concatenated.writeBytes(data(Files.readAllBytes(file)));
        }
        byte[] whole = client.send(HttpRequest.newBuilder(service.uri("/api/v1/generate?format=npy&seed="
                + env.get("SEED") + "&count=" + shards * shardSize)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(concatenated.toByteArray()).isEqualTo(data(whole));
    }

    /** The data of an npy file, after its header. */
    private static byte[] data(byte[] npy) {
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        return Arrays.copyOfRange(npy, 10 + headerLength, npy.length);
    }

    record Stream(long images, long outOfRange) {}

    /** Streams count images as npy and parses all of it: the header's shape, the length, every value. */
    static Stream read(HttpClient client, ServiceProcess service, long count, long seed) throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(service.uri("/api/v1/generate?count="
                + count + "&seed=" + seed + "&format=npy")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long declared = response.headers().firstValueAsLong("Content-Length").orElseThrow();
        try (InputStream in = response.body()) {
            byte[] prefix = in.readNBytes(10);
            assertThat(prefix).startsWith(0x93, 'N', 'U', 'M', 'P', 'Y');
            int headerLength = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8;
            String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
            assertThat(header).contains("'descr': '<f4'").contains("'shape': (" + count + ", 1, 32, 32)");
            assertThat(declared).isEqualTo(10 + headerLength + 4L * count * IMAGE_FLOATS);
            byte[] buffer = new byte[4 * IMAGE_FLOATS * 64];
            long values = 0;
            long bad = 0;
            for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                assertThat(n % 4).isZero();
                ByteBuffer floats = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n / 4; i++) {
                    float v = floats.getFloat();
                    if (!(v >= -1f && v <= 1f)) {
                        bad++;
                    }
                }
                values += n / 4;
            }
            assertThat(values % IMAGE_FLOATS).isZero();
            return new Stream(values / IMAGE_FLOATS, bad);
        } catch (IOException e) {
            throw new AssertionError("the stream broke: " + e, e);
        }
    }
}
