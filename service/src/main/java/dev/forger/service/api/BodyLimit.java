package dev.forger.service.api;

import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
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
                metrics.rejected(ProblemType.BODY_TOO_LARGE);
                String problem = ProblemResponses.json(ProblemType.BODY_TOO_LARGE, "the body is " + declared
                        + " bytes; the limit is " + max + " (quarkus.http.limits.max-body-size)."
                        + " Send fewer or smaller images per request.", null);
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(problem);
                return;
            }
            ctx.next();
        });
        // Without Content-Length (chunked) the size is known only as the body arrives, and Quarkus REST ends an
        // oversized one with a bare 413. Vert.x's BodyHandler reads such bodies here instead, up to the limit,
        // failing the route with 413 beyond it, which this route's failure handler answers as a problem;
        // Quarkus REST then takes the body it buffered. Not multipart: Quarkus REST parses that stream
        // itself and does not take a buffered one (a chunked multipart over the limit still gets a bare 413).
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(max).setHandleFileUploads(false);
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            HttpMethod method = ctx.request().method();
            boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
            if (hasBody && ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null // chunked, or HTTP/2
                    && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/"))
                    && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/grpc"))) {
                // not gRPC either (oip/): its server reads the HTTP/2 stream itself and bounds its messages
                chunked.handle(ctx);
            } else {
                ctx.next();
            }
        }).failureHandler(ctx -> {
            if (ctx.statusCode() != 413 || ctx.response().ended() || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            metrics.rejected(ProblemType.BODY_TOO_LARGE);
            String problem = ProblemResponses.json(ProblemType.BODY_TOO_LARGE, "the body is larger than the limit of "
                    + max + " bytes (quarkus.http.limits.max-body-size). Send fewer or smaller images per request.",
                    null);
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(problem);
        });
    }
}
