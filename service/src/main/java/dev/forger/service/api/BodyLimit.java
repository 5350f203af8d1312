package dev.forger.service.api;

import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body whose Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a
 * problem document. Quarkus enforces the same limit itself, but with a bare 413 that tells the
 * client nothing; this route runs first, before any of the body is read.
 */
@ApplicationScoped
public class BodyLimit {
    void install(@Observes Router router, ForgerMetrics metrics,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1; // Vert.x itself answers a malformed Content-Length
            }
            if (declared > max) {
                metrics.rejected("body-too-large");
                String problem = ProblemResponses.json(ProblemType.BODY_TOO_LARGE, "the body is " + declared
                        + " bytes; the limit is " + max + " (quarkus.http.limits.max-body-size)."
                        + " Send fewer or smaller images per request.", null);
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(problem);
                return;
            }
            ctx.next();
        });
    }
}
