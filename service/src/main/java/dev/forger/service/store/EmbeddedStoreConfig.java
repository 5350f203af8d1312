package dev.forger.service.store;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Chooses the evaluation store before the datasources start: the standard datasource (PostgreSQL)
 * when {@code quarkus.datasource.jdbc.url} is set, otherwise the {@code embedded} one, an H2 file
 * under {@code forger.store.dir}. Quarkus fixes a datasource's kind at build time and deactivates a
 * datasource without a URL at run time; this derives the embedded one's {@code active} flag and URL
 * from those two settings, so that operators only ever set the standard properties.
 *
 * <p>Its values rank below application.properties (ordinal 150 &lt; 250), so an explicit
 * {@code quarkus.datasource.embedded.jdbc.url} (tests use an in-memory database) still wins.
 */
public final class EmbeddedStoreConfig implements ConfigSourceFactory {
    static final String EXTERNAL_URL = "quarkus.datasource.jdbc.url";
    static final String STORE_DIR = "forger.store.dir";
    static final String DEFAULT_DIR = "forger-data";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean external = isSet(context.getValue(EXTERNAL_URL));
        ConfigValue dir = context.getValue(STORE_DIR);
        Path folder = Path.of(isSet(dir) ? dir.getValue() : DEFAULT_DIR).toAbsolutePath().normalize();
        return List.of(new MapBackedConfigSource("forger-store-selection", Map.of(
                "quarkus.datasource.embedded.active", Boolean.toString(!external),
                "quarkus.datasource.embedded.jdbc.url", h2Url(folder)), 150) {});
    }

    /** PostgreSQL mode, so one set of migrations and queries serves both databases. */
    static String h2Url(Path folder) {
        return "jdbc:h2:file:" + folder.resolve("evaluations") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(150);
    }
}
