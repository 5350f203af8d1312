package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import jakarta.ws.rs.core.Response;

/** Builds {@code application/problem+json} responses; serialised here so the media type is certain. */
public final class ProblemResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {}

    public static Response of(ClientProblem problem) {
        return of(problem.type(), problem.detail(), problem.field());
    }

    public static Response of(ProblemType type, String detail, String field) {
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(json(type, detail, field)).build();
    }

    public static String json(ProblemType type, String detail, String field) {
        try {
            return JSON.writeValueAsString(new Problem(type.uri(), type.title(), type.status(), detail, field));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem record always serialises", e);
        }
    }
}
