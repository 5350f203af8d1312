package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.imaging.UploadFormat;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
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

    @Inject
    Endpoints endpoints;

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

    /** An HTTP method the path does not answer: the answer names the ones it does (read by {@link Endpoints}). */
    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e, UriInfo uri, Request request) {
        String path = "/" + uri.getPath().replaceFirst("^/+", "");
        Set<String> methods = endpoints.methods(path);
        String allowed = e.getResponse().getHeaderString("Allow");
        String answers = !methods.isEmpty() ? String.join(", ", methods)
                : allowed == null || allowed.isBlank() ? null : allowed;
        return refuse(ProblemType.METHOD_NOT_ALLOWED, request.getMethod() + " is not allowed on " + path
                + (answers == null ? "; /q/swagger-ui lists the methods of each path" : "; it answers " + answers
                + " (see /q/swagger-ui)"), null);
    }

    /**
     * A Content-Type that no method of the path consumes: the answer lists what this very endpoint takes (read
     * from its resource methods by {@link Endpoints}), and explains the usual curl mistakes.
     */
    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, UriInfo uri, Request request, HttpHeaders headers) {
        String method = request.getMethod();
        String path = "/" + uri.getPath().replaceFirst("^/+", "");
        Set<String> takes = endpoints.consumes(method, path);
        String sent = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String bare = UploadFormat.bare(sent);
        StringBuilder detail = new StringBuilder(method + " " + path + " takes "
                + (takes.isEmpty() ? "another Content-Type" : String.join(", ", takes)) + "; the request has "
                + (sent == null || sent.isBlank() ? "no Content-Type" : "Content-Type: " + sent) + ".");
        if (bare.equals(MediaType.APPLICATION_FORM_URLENCODED)) {
            detail.append(" That is what curl -d sends, and curl -d also strips the line breaks out of files:"
                    + " send files with curl --data-binary @file -H 'Content-Type: …' (or -F image=@file for"
                    + " multipart), JSON with -H 'Content-Type: application/json'.");
        } else if (bare.startsWith("image/") && takes.contains(UploadSpec.ZIP)) {
            detail.append(" To send images here, zip them (python3 -m zipfile -c digits.zip a.png b.png) and send"
                    + " the zip as application/zip, or send one .npy batch.");
        } else if (bare.startsWith("image/") && takes.contains(UploadSpec.PNG)) {
            detail.append(" Convert the image to PNG first.");
        } else if (takes.contains(MediaType.APPLICATION_JSON) && (sent == null || sent.isBlank())) {
            detail.append(" Add -H 'Content-Type: application/json'.");
        }
        return refuse(ProblemType.UNSUPPORTED_MEDIA_TYPE, detail.toString(), "Content-Type");
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
        if (e instanceof IOException && e.getMessage() != null
                && e.getMessage().startsWith("Connection terminated parsing multipart request")) {
            // Quarkus REST's multipart parser met the body's end before the closing boundary: a cut-short form
            // (found by MalformedBodiesApiTest; a 500 until then)
            return refuse(ProblemType.MISSING_BODY, "the multipart body ends before its closing boundary"
                    + " (--boundary--); send the whole form, e.g. curl -F image=@digit.png", null);
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
