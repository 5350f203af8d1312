package dev.forger.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Caffeine builds each cache from a class it picks by the cache's features (strong keys and values, statistics,
 * a size bound, variable expiry: {@code SSSMSA}, nodes {@code PSWMS}) and instantiates it through a method handle,
 * which a native image only allows for classes registered for reflection. The service registers them in its
 * reflect-config.json; this test reads which classes the token cache really uses, so a change of its features
 * or of Caffeine's naming fails here rather than as a 500 on the first bearer token of a native binary.
 */
class TokenCacheNativeConfigTest {
    private static final String CONFIG = "META-INF/native-image/dev.forger/forger-service/reflect-config.json";

    @Test
    void theClassesCaffeineInstantiatesForTheTokenCacheAreRegisteredForReflection() throws Exception {
        BearerTokenCacheTest.ManualClock clock = new BearerTokenCacheTest.ManualClock();
        BearerTokenCache tokens = new BearerTokenCache(new BearerTokenCacheTest.Limits(true, Duration.ofSeconds(60), 16),
                Optional.empty(), clock, clock);
        Object caffeine = field(tokens, "entries");
        Object cache = field(caffeine, "cache");
        Object nodes = field(cache, "nodeFactory");

        List<String> registered = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(CONFIG)) {
            assertThat(in).as(CONFIG).isNotNull();
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                registered.add(entry.get("name").asText());
            }
        }
        assertThat(registered).contains(cache.getClass().getName(), nodes.getClass().getName());
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(owner.getClass().getName() + "." + name);
    }
}
