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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak (the distribution deploy/pom.xml unpacks into target/) in dev mode on a free loopback port,
 * with a realm "forger" imported at start: a public client "forger" that allows the password grant and puts
 * aud=forger into its access tokens, and one user per entry of {@code users}, each granted one realm role (which
 * Keycloak's tokens carry in {@code realm_access.roles}, where quarkus-oidc looks for roles by default).
 */
final class KeycloakServer implements AutoCloseable {
    static final String REALM = "forger";
    static final String CLIENT = "forger";
    private static final int MINIMUM_JAVA = 21;

    private final Process process;
    private final int port;
    private final Path log;
    private Duration startTime;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A user of the realm: logs in with {@code name} and the password {@link #password}. */
    record User(String name, String role) {
        String password() {
            return name + "-password-7c1e";
        }
    }

    /**
     * Starts Keycloak from {@code home} with a fresh database (a previous run's realm would be kept as it was,
     * since an import skips existing realms) and waits until the realm's discovery document answers.
     */
    static KeycloakServer start(Path home, List<User> users, Path log, Duration timeout) throws IOException {
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new AssertionError(home + "/bin/kc.sh is missing: deploy/pom.xml unpacks Keycloak's distribution "
                    + "there in generate-test-resources; run the tests through Maven");
        }
        deleteRecursively(home.resolve("data"));
        Path realm = Files.createDirectories(home.resolve("data/import")).resolve(REALM + "-realm.json");
        Files.writeString(realm, KubeObjects.JSON.writeValueAsString(realm(users)));

        int port = Ports.free();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port,
                // the management interface (health, metrics) stays off; should it be turned on, not on 9000
                "--http-management-port=" + Ports.free(),
                "--import-realm")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("JAVA_HOME", javaHome().toString());
        // kc.sh prefers JAVA_HOME, but a java on PATH that is too old must not be found first by a child script
        builder.environment().put("PATH", javaHome().resolve("bin") + ":" + System.getenv().getOrDefault("PATH", ""));
        long started = System.nanoTime();
        KeycloakServer server = new KeycloakServer(builder.start(), port, log);
        try {
            server.awaitRealm(timeout);
        } catch (AssertionError | RuntimeException e) {
            server.close();
            throw e;
        }
        server.startTime = Duration.ofNanos(System.nanoTime() - started);
        return server;
    }

    /** From the start of kc.sh until the realm's discovery document answered (dev mode builds itself first). */
    Duration startTime() {
        return startTime;
    }

    /** The issuer URL the service is given as quarkus.oidc.auth-server-url. */
    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    /** An access token for {@code user}, from Keycloak's token endpoint with the password grant. */
    String token(User user) {
        String form = "grant_type=password&client_id=" + CLIENT + "&scope=openid"
                + "&username=" + URLEncoder.encode(user.name(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(user.password(), StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("Keycloak refused the password grant for " + user.name() + ": "
                        + r.statusCode() + " " + r.body());
            }
            return KubeObjects.JSON.readTree(r.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new AssertionError("Keycloak's token endpoint failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Path log() {
        return log;
    }

    private static Map<String, Object> realm(List<User> users) {
        Map<String, Object> audience = Map.of("name", "audience-" + CLIENT, "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.client.audience", CLIENT, "access.token.claim", "true",
                        "id.token.claim", "false"));
        Map<String, Object> client = Map.of("clientId", CLIENT, "enabled", true, "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "protocolMappers", List.of(audience));
        List<Map<String, Object>> userEntries = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (User user : users) {
            if (!roles.contains(user.role())) {
                roles.add(user.role());
            }
            // a complete profile: Keycloak 26 asks users without one to fill it in, and refuses the password grant
            userEntries.add(Map.of("username", user.name(), "enabled", true, "email", user.name() + "@forger.test",
                    "emailVerified", true, "firstName", user.name(), "lastName", "Test",
                    "credentials", List.of(Map.of("type", "password", "value", user.password(), "temporary", false)),
                    "realmRoles", List.of(user.role())));
        }
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", REALM);
        realm.put("enabled", true);
        // Keycloak's 5 minutes could run out during a slow test run; the service would then rightly refuse them
        realm.put("accessTokenLifespan", 3600);
        realm.put("roles", Map.of("realm", roles.stream().map(r -> Map.of("name", r)).toList()));
        realm.put("clients", List.of(client));
        realm.put("users", userEntries);
        return realm;
    }

    /**
     * A Java 21 or newer for Keycloak (the tests themselves run on the project's Java 17): Temurin 25 where this
     * kind of machine has it, else the newest JDK under /usr/lib/jvm.
     */
    static Path javaHome() {
        Path preferred = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (javaVersion(preferred).orElse(0) >= MINIMUM_JAVA) {
            return preferred;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.forEach(candidates::add);
        } catch (IOException e) {
            // no /usr/lib/jvm: only the running JVM is a candidate
        }
        return candidates.stream().filter(home -> javaVersion(home).orElse(0) >= MINIMUM_JAVA)
                .max(Comparator.comparingInt(home -> javaVersion(home).orElse(0)))
                .orElseThrow(() -> new AssertionError("Keycloak needs Java " + MINIMUM_JAVA + " or newer and "
                        + "there is none under /usr/lib/jvm (found " + candidates + "); install one, e.g. Debian's "
                        + "openjdk-21-jdk-headless or Temurin 25, into /usr/lib/jvm"));
    }

    /** The feature release of the JDK at {@code home}, from its release file, when it has a bin/java. */
    private static Optional<Integer> javaVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String feature = version.startsWith("1.") ? version.substring(2) : version;
                    return Optional.of(Integer.parseInt(feature.split("[^0-9]")[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unreadable: not a candidate
        }
        return Optional.empty();
    }

    private void awaitRealm(Duration timeout) {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Keycloak exited with " + process.exitValue() + " during start-up:\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode document = KubeObjects.JSON.readTree(r.body());
                    if (!issuer().equals(document.path("issuer").asText())) {
                        throw new AssertionError("Keycloak names its issuer " + document.path("issuer") + ", not " + issuer());
                    }
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("Keycloak's realm " + REALM + " did not answer within " + timeout + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Stops kc.sh and the JVM it started (kc.sh may run it as a child rather than exec it). */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }
}
