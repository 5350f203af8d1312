package dev.forger.service.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys ({@link SecurityConfig#apiKeys()}), checked at start-up and kept as SHA-256 digests. A
 * presented key is hashed and compared with every digest in constant time, so neither the answer's timing nor
 * the configuration tells anything about a key.
 */
@ApplicationScoped
public class ApiKeys {
    static final int MIN_SECRET_LENGTH = 16;
    private static final String HASHED = "sha256:";

    /** One key: its name (the principal is {@code key:<name>}), its role and its secret's digest. */
    public record Key(String name, String role, byte[] digest) {
        public String principal() {
            return "key:" + name;
        }
    }

    private final List<Key> keys;

    @Inject
    public ApiKeys(SecurityConfig config) {
        this(config.apiKeys().orElse(List.of()));
    }

    ApiKeys(List<String> entries) {
        List<Key> parsed = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                parsed.add(parse(entry.strip()));
            }
        }
        this.keys = List.copyOf(parsed);
    }

    public boolean any() {
        return !keys.isEmpty();
    }

    public List<Key> all() {
        return keys;
    }

    /** The key whose secret is {@code presented}, if any. */
    public Optional<Key> find(String presented) {
        byte[] digest = sha256(presented);
        Key found = null;
        for (Key key : keys) { // every digest is compared, whichever matches
            if (MessageDigest.isEqual(key.digest(), digest)) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    static Key parse(String entry) {
        String[] parts = entry.split(":", 3);
        if (parts.length != 3 || parts[0].isBlank()) {
            throw refused("'" + redact(entry) + "' is not name:role:secret");
        }
        String name = parts[0].strip();
        String role = parts[1].strip();
        String secret = parts[2].strip();
        if (!Roles.known(role)) {
            throw refused("key '" + name + "' has role '" + role + "'; the roles are " + String.join(", ", Roles.ALL));
        }
        if (secret.startsWith(HASHED)) {
            String hex = secret.substring(HASHED.length());
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw refused("key '" + name + "': sha256: must be followed by 64 hex digits (sha256sum of the key)");
            }
            return new Key(name, role, HexFormat.of().parseHex(hex));
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw refused("key '" + name + "' is " + secret.length() + " characters; use at least " + MIN_SECRET_LENGTH
                    + " random ones (openssl rand -hex 24)");
        }
        return new Key(name, role, sha256(secret));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException("forger.security.api-keys: " + why);
    }

    private static String redact(String entry) {
        int colon = entry.indexOf(':');
        return (colon < 0 ? entry.substring(0, Math.min(entry.length(), 4)) : entry.substring(0, colon)) + ":…";
    }
}
