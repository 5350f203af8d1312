package dev.forger.service.store;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The two reasons the service refuses to start, each with a message that says what to do. */
class StoreDatabaseTest {

    @Test
    void aDatabaseNobodyAnswersAtIsRefusedNamingTheSettingsToFix() throws IOException {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free now, and nothing listens once it is closed
        }
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/forger");
        assertThatThrownBy(() -> StoreDatabase.awaitReachable(nowhere, "PostgreSQL test", Duration.ofSeconds(2)))
                .isInstanceOf(StoreDatabase.StoreUnavailableException.class)
                .hasMessageContaining("cannot reach the evaluation store PostgreSQL test within 2 s")
                .hasMessageContaining("QUARKUS_DATASOURCE_JDBC_URL")
                .hasMessageContaining("forger.store.dir");
    }

    @Test
    void aSchemaMigratedByANewerForgerIsRefusedAndTheCurrentOneIsNot() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        Flyway ours = Flyway.configure().dataSource(h2).locations("classpath:db/migration").load();
        ours.migrate();
        assertThatCode(() -> StoreDatabase.refuseNewerSchema(ours, "H2 test")).doesNotThrowAnyException();
        assertThatCode(() -> StoreDatabase.awaitReachable(h2, "H2 test", Duration.ofSeconds(1))).doesNotThrowAnyException();

        // a newer Forger added migration 99 to the same database
        Flyway newer = Flyway.configure().dataSource(h2).locations("classpath:db/migration", "classpath:db/future-test").load();
        newer.migrate();
        assertThatThrownBy(() -> StoreDatabase.refuseNewerSchema(ours, "H2 test"))
                .isInstanceOf(StoreDatabase.StoreUnavailableException.class)
                .hasMessageContaining("schema version(s) 99 (a newer forger)")
                .hasMessageContaining("newer than this Forger understands (up to " + newestMigration() + ")");
    }

    /** The highest V<n>__ migration this build ships (the message names it). */
    private static int newestMigration() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
