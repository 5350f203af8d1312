package dev.forger.service.oip;

import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.security.QuotaExceededException;
import dev.forger.service.security.Quotas;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Failures in the protocol's own forms: REST {@code {"error": "..."}} with a 4xx/5xx status (503 with
 * Retry-After when a queue is full; 429 with Retry-After and {@value Quotas#HEADER} when a quota is used up, as
 * on {@code /api/v1}), gRPC a status with the same message ({@code RESOURCE_EXHAUSTED} for a used-up quota, with
 * the same two values as trailers). Refusals are counted in
 * {@code forger_rejected_requests_total} as Forger's own API counts them; anything unexpected is logged
 * with an id that the answer names, without a stack trace.
 */
@ApplicationScoped
public class OipErrors {
    private static final Logger LOG = Logger.getLogger(OipErrors.class);
    /** The used-up quota's name and the seconds to wait, as trailers of a gRPC RESOURCE_EXHAUSTED. */
    static final Metadata.Key<String> QUOTA_TRAILER = Metadata.Key.of("forger-quota", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RETRY_AFTER_TRAILER = Metadata.Key.of("retry-after",
            Metadata.ASCII_STRING_MARSHALLER);

    private final ForgerMetrics metrics;

    public OipErrors(ForgerMetrics metrics) {
        this.metrics = metrics;
    }

    public Response toResponse(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof OipException oip) {
            metrics.rejected(oip.kind().counted());
            Response.ResponseBuilder response = Response.status(oip.kind().httpStatus())
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(new OipJson.Error(oip.getMessage()));
            if (oip.kind() == OipException.Kind.UNAVAILABLE) {
                response.header("Retry-After", "1");
            }
            return response.build();
        }
        if (e instanceof QuotaExceededException quota) {
            metrics.rejected(ProblemType.QUOTA_EXCEEDED);
            Response.ResponseBuilder response = Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new OipJson.Error(quota.getMessage())).header(Quotas.HEADER, quota.quota().slug());
            if (quota.retryAfterSeconds() > 0) {
                response.header("Retry-After", Long.toString(quota.retryAfterSeconds()));
            }
            return response.build();
        }
        if (e instanceof ClientProblem problem) { // from filters shared with /api/v1 (unknown query parameters)
            metrics.rejected(problem.type());
            return Response.status(problem.type().status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new OipJson.Error(problem.detail())).build();
        }
        if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            metrics.rejected(status == 413 ? ProblemType.BODY_TOO_LARGE : ProblemType.INVALID_PARAMETER);
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new OipJson.Error(status == 413 ? "the request body is larger than the service accepts"
                            + " (quarkus.http.limits.max-body-size); send a smaller batch" : e.getMessage())).build();
        }
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OipJson.Error(internal(e))).build();
    }

    public StatusRuntimeException toStatus(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof OipException oip) {
            metrics.rejected(oip.kind().counted());
            return Status.fromCode(oip.kind().grpcCode()).withDescription(oip.getMessage()).asRuntimeException();
        }
        if (e instanceof QuotaExceededException quota) {
            metrics.rejected(ProblemType.QUOTA_EXCEEDED);
            Metadata trailers = new Metadata();
            trailers.put(QUOTA_TRAILER, quota.quota().slug());
            if (quota.retryAfterSeconds() > 0) {
                trailers.put(RETRY_AFTER_TRAILER, Long.toString(quota.retryAfterSeconds()));
            }
            return Status.RESOURCE_EXHAUSTED.withDescription(quota.getMessage()).asRuntimeException(trailers);
        }
        if (e instanceof StatusRuntimeException status) {
            return status;
        }
        return Status.INTERNAL.withDescription(internal(e)).asRuntimeException();
    }

    /** Strips the wrappers of futures, and turns a full queue into the protocol's UNAVAILABLE. */
    static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof QueueFullException full) {
            return new OipException(OipException.Kind.UNAVAILABLE, full.getMessage());
        }
        return e;
    }

    private static String internal(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "internal error %s (open inference protocol)", id);
        return "the service failed unexpectedly; the log has the details under error id " + id;
    }
}
