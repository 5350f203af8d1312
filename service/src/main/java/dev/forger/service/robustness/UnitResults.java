package dev.forger.service.robustness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.service.attacks.ImageOutcome;
import java.util.List;

/**
 * The JSON the store keeps: a unit's per-image outcomes, specs and reports. Floats and doubles are
 * written in their shortest exact form, so what a replica reads back is bit for bit what another wrote.
 */
final class UnitResults {
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // rows written by a newer replica

    private UnitResults() {}

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the evaluation store holds unreadable " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** A unit's per-image outcomes, whether it stored them alone or with transfer scores. */
    static List<ImageOutcome> outcomes(String json) {
        if (json.startsWith("{")) {
            return transfer(json).outcomes();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<ImageOutcome>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the evaluation store holds unreadable unit results: " + e.getOriginalMessage(), e);
        }
    }

    /** A unit's outcomes with its transfer scores; null when the unit stored outcomes alone. */
    static TransferScores transfer(String json) {
        return json.startsWith("{") ? read(json, TransferScores.class) : null;
    }
}
