package dev.forger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package) on a loopback port, scraping one target the way the Prometheus
 * operator scrapes a ServiceMonitor endpoint (job = the Service's name; namespace, service and pod
 * labels), and evaluating the extracted alert rules.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    record Target(String job, String address, String metricsPath, String namespace, String service, String pod) {
    }

    static PrometheusServer start(Path dir, Target target, Path rulesFile, String scrapeInterval) throws IOException {
        Files.createDirectories(dir);
        deleteRecursively(dir.resolve("data"));   // a previous run's series would answer for this one
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: %1$s
                  scrape_timeout: %1$s
                  evaluation_interval: %1$s
                rule_files:
                  - %2$s
                scrape_configs:
                  - job_name: %3$s
                    metrics_path: %4$s
                    static_configs:
                      - targets: ['%5$s']
                        labels: {namespace: '%6$s', service: '%7$s', pod: '%8$s'}
                """.formatted(scrapeInterval, rulesFile, target.job(), target.metricsPath(), target.address(),
                target.namespace(), target.service(), target.pod()));
        int port = Ports.free();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(Tools.prometheus().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.console.templates=" + dir, "--web.console.libraries=" + dir)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        server.awaitReady();
        return server;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** An instant query's whole answer: status, and data.result or errorType/error. */
    JsonNode query(String promql, double unixTime) {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + unixTime;
        return post("/api/v1/query", form);
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
            return KubeObjects.JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("Prometheus GET " + path + " failed: " + e, e);
        }
    }

    /** Waits until the target has been scraped successfully at least {@code scrapes} more times. */
    void awaitScrapes(int scrapes, Duration timeout) {
        double start = scrapeCount();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (scrapeCount() < start + scrapes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Prometheus did not scrape the service " + scrapes + " times in " + timeout
                        + "; targets: " + get("/api/v1/targets"));
            }
            ServiceProcess.sleep(250);
        }
    }

    /** Successful scrapes of every target so far. */
    private double scrapeCount() {
        JsonNode r = query("sum(sum_over_time(up[1h]))", System.currentTimeMillis() / 1000.0);
        JsonNode result = r.path("data").path("result");
        return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
    }

    private JsonNode post(String path, String form) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return KubeObjects.JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("Prometheus POST " + path + " failed: " + e, e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (client.send(HttpRequest.newBuilder(uri("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            ServiceProcess.sleep(200);
        }
        throw new AssertionError("prometheus was not ready within 60 s:\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
