package dev.forger.service.store;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** Evaluation stores for tests outside this package: a fresh in-memory H2 database with Forger's own migrations. */
public final class TestStores {
    private TestStores() {}

    public static EvaluationStore inMemory() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new EvaluationStore(dataSource);
    }
}
