package dev.forger.service.robustness;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation as the store holds it at one moment, on whichever replica asks.
 *
 * @param leases         replica → units it is working on now
 * @param forgerVersion  the Forger that accepted the evaluation
 * @param report         the results so far (runs whose units are all done); complete once SUCCEEDED
 * @param owner          who submitted it (the caller's principal), or null when identity was off
 */
public record EvaluationJob(String id, State state, Instant created, Instant started, Instant finished, String error,
                            int unitsDone, int unitsTotal, Map<String, Integer> leases, EvaluationSpec spec,
                            String forgerVersion, RobustnessReport report, String owner) {

    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String stored) {
            return valueOf(stored.toUpperCase(Locale.ROOT));
        }
    }
}
