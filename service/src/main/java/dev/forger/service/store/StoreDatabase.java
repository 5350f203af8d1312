package dev.forger.service.store;

import dev.forger.service.config.ForgerConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.jboss.logging.Logger;

/**
 * The evaluation store's database: whichever datasource is active (see {@link EmbeddedStoreConfig}),
 * migrated by Flyway when the service starts. The service refuses to start — with a message that
 * says what to fix — when the database cannot be reached, or when its schema was migrated by a newer
 * Forger than this one (Flyway alone would run on, ignoring the migrations it does not know).
 */
@Startup
@ApplicationScoped
public class StoreDatabase {
    private static final Logger LOG = Logger.getLogger(StoreDatabase.class);

    private final AgroalDataSource dataSource;
    private final Flyway flyway;
    private final String description;
    private final Duration connectTimeout;

    public StoreDatabase(@Any InjectableInstance<AgroalDataSource> dataSources, @Any InjectableInstance<Flyway> flyways,
                         ForgerConfig config) {
        List<AgroalDataSource> active = dataSources.listActive();
        if (active.size() != 1) {
            throw new IllegalStateException("expected exactly one active datasource for the evaluation store, found "
                    + active.size() + "; set quarkus.datasource.jdbc.url (PostgreSQL) or nothing (embedded H2)");
        }
        this.dataSource = active.get(0);
        this.flyway = flyways.listActive().get(0);
        this.description = describe(dataSource);
        this.connectTimeout = config.store().connectTimeout();
    }

    @PostConstruct
    void migrate() {
        awaitReachable(dataSource, description, connectTimeout);
        refuseNewerSchema(flyway, description);
        int applied = flyway.migrate().migrationsExecuted;
        LOG.infof("evaluation store: %s, schema version %s (%d migration(s) applied now)", description,
                flyway.info().current() == null ? "none" : flyway.info().current().getVersion(), applied);
    }

    /**
     * Waits up to forger.store.connect-timeout for a first connection: a database started together with
     * the service (a pod and its database in one rollout) may need a few seconds.
     */
    static void awaitReachable(DataSource dataSource, String description, Duration connectTimeout) {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        while (true) {
            try (Connection connection = dataSource.getConnection()) {
                if (connection.isValid(5)) {
                    return;
                }
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new StoreUnavailableException("cannot reach the evaluation store " + description + " within "
                            + connectTimeout.toSeconds() + " s: " + rootMessage(e) + ". Start the database or fix"
                            + " QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD;"
                            + " leave the URL unset to keep evaluations in an embedded database under forger.store.dir", e);
                }
                LOG.infof("waiting for the evaluation store %s: %s", description, rootMessage(e));
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while waiting for the evaluation store " + description, e);
            }
        }
    }

    static void refuseNewerSchema(Flyway flyway, String description) {
        MigrationInfo[] future = Arrays.stream(flyway.info().all())
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                .toArray(MigrationInfo[]::new);
        if (future.length > 0) {
            String known = Arrays.stream(flyway.info().all()).filter(m -> m.getState().isResolved())
                    .map(m -> String.valueOf(m.getVersion())).reduce((a, b) -> b).orElse("none");
            throw new StoreUnavailableException("the evaluation store " + description + " has schema version(s) "
                    + Arrays.stream(future).map(m -> m.getVersion() + " (" + m.getDescription() + ")")
                    .collect(Collectors.joining(", ")) + ", newer than this Forger understands (up to " + known
                    + "); run the Forger version that migrated it (or a newer one), or point this one at another"
                    + " database");
        }
    }

    public AgroalDataSource dataSource() {
        return dataSource;
    }

    /** The database kind and URL (never credentials), for logs and messages. */
    public String description() {
        return description;
    }

    public boolean embedded() {
        return description.startsWith("H2");
    }

    private static String describe(AgroalDataSource dataSource) {
        String url = dataSource.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration().jdbcUrl();
        String kind = url != null && url.startsWith("jdbc:h2:") ? "H2" : url != null && url.startsWith("jdbc:postgresql:")
                ? "PostgreSQL" : "database";
        String withoutOptions = url == null ? "?" : url.replaceAll("[;?].*$", "");
        return kind + " " + withoutOptions;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /** The store cannot be used; the message says why and what to do. */
    public static final class StoreUnavailableException extends RuntimeException {
        StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }

        StoreUnavailableException(String message) {
            super(message);
        }
    }
}
