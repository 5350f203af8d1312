package dev.forger.service.store;

import java.sql.SQLException;

/** The evaluation store failed (database down, connection lost): the API answers 503, workers retry later. */
public final class StoreException extends RuntimeException {
    StoreException(SQLException e) {
        super("evaluation store: " + e.getMessage(), e);
    }
}
