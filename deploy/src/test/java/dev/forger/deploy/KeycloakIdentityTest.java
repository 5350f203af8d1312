package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged service with identity on, against a real Keycloak: its tokens, fetched with the password grant
 * for users holding one realm role each, are what the service validates (discovery, JWKS, RS256 signature,
 * issuer, audience) and derives roles from ({@code realm_access.roles}). The service's own tests cover the
 * edge cases (expired, foreign and wrong-audience tokens, API keys) with their hand-written issuer; this test is
 * the end-to-end proof that a real provider's tokens work as the README's Security section says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakIdentityTest {
    private static final KeycloakServer.User RITA = new KeycloakServer.User("rita", "reader");
    /** The greedy reader of the quota case. */
    private static final KeycloakServer.User GRETA = new KeycloakServer.User("greta", "reader");
    private static final KeycloakServer.User ALICE = new KeycloakServer.User("alice", "researcher");
    private static final KeycloakServer.User BOB = new KeycloakServer.User("bob", "researcher");
    private static final KeycloakServer.User OLGA = new KeycloakServer.User("olga", "operator");
    /** Generated images a reader may have per hour here: two of greta's requests of 20, and what rita needs. */
    private static final int READER_GENERATED_IMAGES = 40;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KeycloakServer keycloak;
    private ServiceProcess service;
    private final Map<KeycloakServer.User, String> tokens = new LinkedHashMap<>();
    private byte[] digit;

    @BeforeAll
    void startKeycloakAndTheService() throws IOException {
        Path work = Repo.work().resolve("keycloak");
        Duration timeout = Duration.ofSeconds(Long.getLong("forger.deploy.startTimeoutSeconds", 300));
        keycloak = KeycloakServer.start(Path.of(System.getProperty("forger.deploy.keycloakHome")),
                List.of(RITA, GRETA, ALICE, BOB, OLGA), work.resolve("keycloak.log"), timeout);
        System.out.printf("Keycloak %s started (dev mode, realm imported) in %.1f s%n",
                keycloak.issuer(), keycloak.startTime().toMillis() / 1000.0);

        Map<String, String> env = Map.of(
                "FORGER_MODELS_DIR", Files.createDirectories(work.resolve("models")).toString(),
                "FORGER_STORE_DIR", work.resolve("store").toString());
        // the settings README "Security" gives for an OIDC issuer, plus a small reader budget per hour (what
        // refills while the test runs stays negligible) and the model repository, whose routes are the operator's
        List<String> jvm = List.of(
                "-Dquarkus.oidc.auth-server-url=" + keycloak.issuer(),
                "-Dquarkus.oidc.client-id=" + KeycloakServer.CLIENT,
                "-Dquarkus.oidc.token.audience=" + KeycloakServer.CLIENT,
                "-Dforger.security.quotas.window=1h",
                "-Dforger.security.quotas.budgets.reader.generated-images=" + READER_GENERATED_IMAGES,
                "-Dforger.oip.repository.enabled=true");
        long started = System.nanoTime();
        service = ServiceProcess.start(Repo.serviceJar(), jvm, env, work.resolve("service.log"));
        System.out.printf("the service started with identity on in %.1f s%n", (System.nanoTime() - started) / 1e9);

        for (KeycloakServer.User user : List.of(RITA, GRETA, ALICE, BOB, OLGA)) {
            tokens.put(user, keycloak.token(user));
        }
        digit = call("GET", "/api/v1/generate?count=1&seed=3", RITA, null, null).expect(200, "rita's digit").body();
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void requestsWithoutAValidTokenAre401() {
        Reply none = call("GET", "/api/v1/models", null, null, null);
        assertThat(none.status()).as(none.text()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        // Keycloak's own token with one byte of its signature changed: the JWKS the service fetched refuses it
        String token = tokens.get(OLGA);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        Reply forged = send(request("/api/v1/models").header("Authorization", "Bearer " + tampered).GET());
        assertThat(forged.status()).as(forged.text()).isEqualTo(401);
    }

    @Test
    void eachRoleIsServedWhatItMayAndRefusedTheRestWithTheRoleItLacks() {
        call("GET", "/api/v1/models", RITA, null, null).expect(200, "reader: GET /api/v1/models");
        call("POST", "/api/v1/score", RITA, "image/png", digit).expect(200, "reader: POST /api/v1/score");
        Reply refused = call("POST", "/api/v1/attack?method=fgsm", RITA, "image/png", digit)
                .expect(403, "reader: POST /api/v1/attack");
        assertThat(refused.json().path("detail").asText()).contains("'researcher'").contains("rita");

        call("POST", "/api/v1/attack?method=fgsm", ALICE, "image/png", digit).expect(200, "researcher: POST /api/v1/attack");
        call("POST", "/v2/repository/index", ALICE, "application/json", "{}".getBytes())
                .expect(403, "researcher: POST /v2/repository/index");
        call("POST", "/v2/repository/index", OLGA, "application/json", "{}".getBytes())
                .expect(200, "operator: POST /v2/repository/index");
        // an operator includes the lesser roles
        call("POST", "/api/v1/attack?method=fgsm", OLGA, "image/png", digit).expect(200, "operator: POST /api/v1/attack");
    }

    @Test
    void evaluationsBelongToTheKeycloakUserWhoSubmittedThem() {
        Reply accepted = call("POST", "/api/v1/evaluate", ALICE, "application/json",
                "{\"count\": 2, \"seed\": 4, \"attacks\": [{\"method\": \"fgsm\"}], \"epsilons\": [0.05]}".getBytes())
                .expect(202, "researcher: POST /api/v1/evaluate");
        assertThat(accepted.json().path("owner").asText()).as("the owner is Keycloak's preferred_username").isEqualTo("alice");
        String job = URI.create(accepted.headers().firstValue("Location").orElseThrow()).getRawPath();
        String id = accepted.json().path("id").asText();

        call("GET", job, ALICE, null, null).expect(200, "alice: her evaluation");
        Reply foreign = call("GET", job, BOB, null, null).expect(403, "bob: alice's evaluation");
        assertThat(foreign.json().path("detail").asText()).contains("belongs to another user");
        call("DELETE", job, BOB, null, null).expect(403, "bob: cancelling alice's evaluation");
        assertThat(ids(call("GET", "/api/v1/evaluations", BOB, null, null).expect(200, "bob: his evaluations")))
                .doesNotContain(id);
        assertThat(ids(call("GET", "/api/v1/evaluations?limit=500", OLGA, null, null).expect(200, "operator: everyone's")))
                .contains(id);
        call("GET", job, OLGA, null, null).expect(200, "operator: alice's evaluation");
        int cancelled = call("DELETE", job, ALICE, null, null).status();
        assertThat(cancelled).as("alice cancels her evaluation").isIn(200, 204);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        call("GET", "/q/health/ready", null, null, null).expect(200, "GET /q/health/ready without a token");
        Reply metrics = call("GET", "/q/metrics", null, null, null).expect(200, "GET /q/metrics without a token");
        assertThat(metrics.text()).contains("# TYPE");
    }

    @Test
    void aGreedyReaderGets429WhileAnotherReaderIsServedAsFastAsBefore() throws Exception {
        Duration usual = medianLatencyOfRitasGenerations(8);

        String greedy = "/api/v1/generate?count=20&format=npy&seed=9";
        for (int i = 0; i < READER_GENERATED_IMAGES / 20; i++) {
            call("GET", greedy, GRETA, null, null).expect(200, "greta's generation " + (i + 1) + " within her budget");
        }
        Reply refused = call("GET", greedy, GRETA, null, null).expect(429, "greta past her budget");
        assertThat(refused.headers().firstValue("Forger-Quota")).hasValue("generated-images");
        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()))
                .as("seconds until 20 images have refilled at 40 an hour").isBetween(1, 3600);
        assertThat(refused.json().path("type").asText()).contains("quota-exceeded");

        // greta keeps asking from three threads while rita generates: greta is refused, rita is not slowed
        AtomicBoolean ritaDone = new AtomicBoolean();
        ExecutorService greedyThreads = Executors.newFixedThreadPool(3);
        List<Future<List<Integer>>> greedyAnswers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            greedyAnswers.add(greedyThreads.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 200 && !ritaDone.get(); i++) {
                    statuses.add(call("GET", greedy, GRETA, null, null).status());
                }
                return statuses;
            }));
        }
        Duration meanwhile;
        try {
            meanwhile = medianLatencyOfRitasGenerations(8);
        } finally {
            ritaDone.set(true);
            greedyThreads.shutdown();
            greedyThreads.awaitTermination(60, TimeUnit.SECONDS);
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<List<Integer>> answers : greedyAnswers) {
            statuses.addAll(answers.get());
        }
        System.out.printf("quota: rita's generation took %d ms (median) before and %d ms while greta sent %d "
                + "requests, all answered %s%n", usual.toMillis(), meanwhile.toMillis(), statuses.size(),
                statuses.stream().distinct().toList());
        assertThat(statuses).as("greta's requests while over budget").isNotEmpty().containsOnly(429);
        // "usual latency" on a machine shared with other builds: within three times the median before, plus slack
        assertThat(meanwhile).as("rita's median latency while greta is refused, against " + usual + " before")
                .isLessThanOrEqualTo(usual.multipliedBy(3).plusMillis(250));
    }

    private Duration medianLatencyOfRitasGenerations(int requests) {
        List<Duration> took = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            took.add(call("GET", "/api/v1/generate?count=1&format=npy&seed=" + i, RITA, null, null)
                    .expect(200, "rita's generation " + i).took());
        }
        took.sort(null);
        return took.get(requests / 2);
    }

    private static List<String> ids(Reply list) {
        List<String> ids = new ArrayList<>();
        list.json().forEach(evaluation -> ids.add(evaluation.path("id").asText()));
        return ids;
    }

    record Reply(int status, byte[] body, HttpHeaders headers, Duration took) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return KubeObjects.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        Reply expect(int wanted, String what) {
            if (status != wanted) {
                throw new AssertionError(what + " answered " + status + " instead of " + wanted + ": " + text());
            }
            return this;
        }
    }

    /** A request as {@code user} (with a fresh Keycloak token of theirs), or without credentials when null. */
    private Reply call(String method, String path, KeycloakServer.User user, String contentType, byte[] body) {
        HttpRequest.Builder builder = request(path);
        if (user != null) {
            builder.header("Authorization", "Bearer " + tokens.get(user));
        }
        if (contentType != null) {
            // answers as JSON rather than images: the test reads their fields
            builder.header("Content-Type", contentType).header("Accept", "application/json");
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return send(builder);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(service.uri(path)).timeout(Duration.ofSeconds(120));
    }

    private Reply send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body(), r.headers(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new AssertionError("the service did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
