package dev.forger.service.api;

import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ProblemType;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a multipart body whose Content-Type has no usable boundary before Quarkus REST's multipart parser sees
 * it: with {@code boundary=""} that parser fails with a StringIndexOutOfBoundsException, a 500 (found by
 * MalformedBodiesApiTest's seeded multipart forms). A boundary is 1 to 70 characters (RFC 2046 5.1.1).
 */
public class MultipartBoundaryFilter {
    static final int MAX_BOUNDARY = 70;

    @Inject
    ForgerMetrics metrics;

    @ServerRequestFilter(preMatching = true)
    public Response requireABoundary(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.strip().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        String boundary = boundary(type);
        if (boundary != null && !boundary.isEmpty() && boundary.length() <= MAX_BOUNDARY) {
            return null;
        }
        metrics.rejected(ProblemType.INVALID_PARAMETER);
        return ProblemResponses.of(ProblemType.INVALID_PARAMETER, "the Content-Type " + type.strip() + " names no"
                + " usable boundary (1 to 70 characters: multipart/form-data; boundary=...); let the client build the"
                + " form, e.g. curl -F image=@digit.png", HttpHeaders.CONTENT_TYPE);
    }

    /** The boundary parameter's value, unquoted; null when it is missing or its quotes do not close. */
    static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            int eq = parameter.indexOf('=');
            if (eq < 0 || !parameter.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                continue;
            }
            String value = parameter.substring(eq + 1).strip();
            if (value.startsWith("\"")) {
                return value.length() >= 2 && value.endsWith("\"") ? value.substring(1, value.length() - 1) : null;
            }
            return value;
        }
        return null;
    }
}
