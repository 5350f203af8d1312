package dev.forger.deploy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A short, bounded load on the service so that every dashboard panel and alert signal has data:
 * generation, scoring, attacks, client mistakes (rejections), a burst that overflows the batch
 * queue (503 queue-full), and one small robustness evaluation that completes (its success ratios and
 * masking checks become metrics). It counts the answers per request kind and samples the process's RSS.
 */
final class Load {
    private static final byte[] NOT_AN_IMAGE = "definitely not a png".getBytes();

    private final ServiceProcess service;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Map<Integer, AtomicInteger>> answers = new ConcurrentHashMap<>();
    private final AtomicLong peakRss = new AtomicLong();
    private volatile byte[] digitPng;
    private volatile boolean sampling = true;

    Load(ServiceProcess service) {
        this.service = service;
    }

    record Report(Map<String, Map<Integer, Integer>> answers, long peakRssBytes, double cpuSeconds, double wallSeconds) {
        int count(String kind, int status) {
            return answers.getOrDefault(kind, Map.of()).getOrDefault(status, 0);
        }

        boolean only(String kind, int status) {
            Map<Integer, Integer> byStatus = answers.getOrDefault(kind, Map.of());
            return !byStatus.isEmpty() && byStatus.keySet().stream().allMatch(s -> s == status);
        }
    }

    /** Mixed traffic from {@code workers} threads for {@code mixed}, then one burst of {@code burst} large requests. */
    Report run(int workers, Duration mixed, int burst) throws InterruptedException {
        HttpResponse<byte[]> digit = send("generate-png", get("/api/v1/generate?seed=3"));
        if (digit == null || digit.statusCode() != 200) {
            throw new AssertionError("GET /api/v1/generate?seed=3 did not answer a PNG: " + (digit == null ? "no answer" : digit.statusCode()));
        }
        digitPng = digit.body();
        HttpResponse<byte[]> evaluation = send("evaluate", post("/api/v1/evaluate", "application/json",
                "{\"count\": 4, \"seed\": 1, \"attacks\": [\"fgsm\", {\"method\": \"pgd\", \"steps\": 10}], \"epsilons\": [0.03]}"
                        .getBytes()));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long start = System.nanoTime();
        double cpuStart = service.cpuSeconds();
        Thread sampler = new Thread(this::sampleRss, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long end = start + mixed.toNanos();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            pool.submit(() -> {
                for (int i = worker; System.nanoTime() < end; i += workers) {
                    step(i);
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(mixed.toSeconds() + 60, TimeUnit.SECONDS);
        burst(burst);
        awaitEvaluation(evaluation);
        sampling = false;
        sampler.join();
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Map<Integer, Integer>> counted = new TreeMap<>();
        answers.forEach((kind, byStatus) -> {
            Map<Integer, Integer> m = new TreeMap<>();
            byStatus.forEach((status, n) -> m.put(status, n.get()));
            counted.put(kind, m);
        });
        return new Report(counted, peakRss.get(), service.cpuSeconds() - cpuStart, wall);
    }

    private void step(int i) {
        switch (i % 10) {
            case 0, 5 -> send("generate-grid", get("/api/v1/generate?count=16&format=grid&seed=" + i));
            case 1, 6 -> send("score", post("/api/v1/score", "image/png", digitPng));
            case 2 -> send("generate-npy", get("/api/v1/generate?count=64&format=npy&seed=" + i));
            case 3 -> send("attack-fgsm", post("/api/v1/attack?method=fgsm&epsilon=0.03", "image/png", digitPng));
            case 7 -> send("attack-pgd", post("/api/v1/attack?method=pgd&epsilon=0.03&steps=5", "image/png", digitPng));
            case 4 -> send("bad-count", get("/api/v1/generate?count=100000"));
            case 8 -> send("bad-image", post("/api/v1/score", "image/png", NOT_AN_IMAGE));
            default -> send("bad-path", get("/api/v1/no-such-thing"));
        }
    }

    /** Waits until the load's evaluation succeeded (it then counts as "evaluate-succeeded"), at most two minutes. */
    private void awaitEvaluation(HttpResponse<byte[]> accepted) {
        String location = accepted == null ? null : accepted.headers().firstValue("Location").orElse(null);
        if (accepted == null || accepted.statusCode() != 202 || location == null) {
            throw new AssertionError("POST /api/v1/evaluate did not accept the load's evaluation: "
                    + (accepted == null ? "no answer" : accepted.statusCode() + " " + new String(accepted.body())));
        }
        // Location is absolute (JAX-RS resolves it against the request); get() takes the path only
        String path = java.net.URI.create(location).getRawPath();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> status = send("evaluate-status", get(path));
            String body = status == null ? "" : new String(status.body());
            if (body.contains("\"state\":\"succeeded\"")) {
                send("evaluate-succeeded", get(path));
                return;
            }
            if (body.contains("\"state\":\"failed\"") || body.contains("\"state\":\"cancelled\"")) {
                throw new AssertionError("the load's evaluation did not succeed: " + body);
            }
            ServiceProcess.sleep(250);
        }
        throw new AssertionError("the load's evaluation " + location + " did not finish within two minutes");
    }

    /** Many requests of 256 images at once: more than the batch queue holds. */
    private void burst(int requests) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        for (int i = 0; i < requests; i++) {
            int seed = i;
            pool.submit(() -> send("burst", get("/api/v1/generate?count=256&format=npy&seed=" + seed)));
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
    }

    private void sampleRss() {
        while (sampling) {
            peakRss.accumulateAndGet(service.residentBytes(), Math::max);
            ServiceProcess.sleep(200);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(service.uri(path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private HttpRequest post(String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(service.uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private HttpResponse<byte[]> send(String kind, HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            answers.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            return response;
        } catch (IOException e) {
            // counted as status 0: the test reports it with the other answers instead of a lost stack trace
            answers.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(0, s -> new AtomicInteger()).incrementAndGet();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
