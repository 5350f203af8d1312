package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads JSON request bodies here rather than in Quarkus REST, whose built-in Jackson error mapper
 * answers a type mismatch with a non-problem body; this way every mistake names its field.
 */
final class JsonBodies {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private JsonBodies() {}

    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw problem(e);
        } catch (IOException e) {
            throw new ClientProblem(ProblemType.MALFORMED_JSON, null, "the JSON body cannot be read: " + e.getMessage());
        }
    }

    static ClientProblem problem(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String field = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining()).substring(1)
                : null;
        return new ClientProblem(ProblemType.MALFORMED_JSON, field, "the JSON body cannot be read" + where + ": "
                + e.getOriginalMessage());
    }
}
