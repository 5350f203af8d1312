package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import io.vertx.core.http.HttpClosedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure leaves the API as {@code application/problem+json}: client mistakes as 4xx with a
 * detail that says how to fix them, overload as 503 with Retry-After, and anything unexpected as
 * a 500 that names a log id but shows no stack trace. Each refusal is counted in
 * {@code forger_rejected_requests_total} by reason. A client that hangs up mid-request is no
 * internal error: it is logged at DEBUG and counted as {@code client-closed}.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    ForgerMetrics metrics;

    @ServerExceptionMapper
    public Response clientProblem(ClientProblem problem) {
        return refuse(problem.type(), problem.detail(), problem.field());
    }

    @ServerExceptionMapper
    public Response queueFull(QueueFullException e) {
        Response problem = refuse(ProblemType.OVERLOADED, e.getMessage() + " (Retry-After: 1 s)", null);
        return Response.fromResponse(problem).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return clientProblem(JsonBodies.problem(e));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json); // Quarkus REST wraps Jackson's parse errors in a bare 400
        }
        if (e instanceof NotFoundException) {
            return refuse(ProblemType.NOT_FOUND, "no resource here; the API is under /api/v1"
                    + " (see /q/swagger-ui)", null);
        }
        if (e instanceof NotAllowedException) {
            String allowed = e.getResponse().getHeaderString("Allow");
            return refuse(ProblemType.METHOD_NOT_ALLOWED, "this HTTP method is not allowed on this resource"
                    + (allowed == null || allowed.isBlank() ? "; /q/swagger-ui lists the methods of each"
                    : "; it answers " + allowed), null);
        }
        if (e instanceof NotSupportedException) {
            return refuse(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send image/png, image/jpeg, application/x-npy or"
                    + " multipart/form-data with 'image' parts to /score, and application/json to /generate",
                    "Content-Type");
        }
        if (e instanceof NotAcceptableException) {
            return refuse(ProblemType.NOT_ACCEPTABLE, "choose the representation with the format parameter"
                    + " instead of the Accept header", "Accept");
        }
        if (status == 413) {
            return refuse(ProblemType.BODY_TOO_LARGE, "the request body is larger than the service accepts;"
                    + " send fewer or smaller images", null);
        }
        if (status == 400 && e.getClass() == jakarta.ws.rs.BadRequestException.class) {
            return refuse(ProblemType.MALFORMED_JSON, "the request body cannot be read"
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), null);
        }
        if (status >= 400 && status < 500) {
            return refuse(ProblemType.INVALID_PARAMETER, e.getMessage(), null);
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        return unwrap(e.getCause() == null ? e : e.getCause());
    }

    @ServerExceptionMapper
    public Response execution(ExecutionException e) {
        return unwrap(e.getCause() == null ? e : e.getCause());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e instanceof IOException && "Request too large".equals(e.getMessage())) {
            // Quarkus REST's own limit on a chunked multipart stream: it has answered 413 already
            LOG.debugf("request body over quarkus.http.limits.max-body-size: %s", e.getMessage());
            return refuse(ProblemType.BODY_TOO_LARGE, "the request body is larger than the service accepts"
                    + " (quarkus.http.limits.max-body-size); send fewer or smaller images", null);
        }
        if (isClientGone(e)) {
            // the client hung up (mid-upload, or before its answer): normal traffic, not a failure of ours
            LOG.debugf("client closed the connection before the request was done: %s", rootMessage(e));
            metrics.rejected(ForgerMetrics.CLIENT_CLOSED);
            return ProblemResponses.of(ProblemType.MISSING_BODY, "the connection closed before the request body"
                    + " was read whole", null); // nobody reads it; Quarkus needs a response all the same
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "internal error %s", id);
        return ProblemResponses.of(ProblemType.INTERNAL, "the service failed unexpectedly; the log has the"
                + " details under error id " + id, null);
    }

    /**
     * Whether {@code e} (or a cause) says the connection closed: Vert.x's HttpClosedException, which
     * Quarkus REST wraps in IOExceptions when a blocking read of the body meets it, or the socket
     * errors of a peer that reset or vanished.
     */
    static boolean isClientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("Connection reset by peer") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private Response unwrap(Throwable cause) {
        if (cause instanceof ClientProblem p) {
            return clientProblem(p);
        }
        if (cause instanceof QueueFullException q) {
            return queueFull(q);
        }
        return unexpected(cause);
    }

    private Response refuse(ProblemType type, String detail, String field) {
        metrics.rejected(type);
        return ProblemResponses.of(type, detail, field);
    }
}
