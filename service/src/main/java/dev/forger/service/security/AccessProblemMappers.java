package dev.forger.service.security;

import dev.forger.service.api.ProblemResponses;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The API's mappers of access failures (401, 403: {@link AccessProblems} writes the answers) and of used-up
 * quotas (429 with Retry-After and the quota's name in {@value Quotas#HEADER}).
 */
public class AccessProblemMappers {
    @Inject
    AccessProblems problems;

    @Inject
    ForgerMetrics metrics;

    @ServerExceptionMapper
    public Uni<Response> unauthorized(UnauthorizedException e, ResourceInfo resource, Request request, UriInfo uri) {
        return answer(e, resource, request, uri);
    }

    @ServerExceptionMapper
    public Uni<Response> authenticationFailed(AuthenticationFailedException e, ResourceInfo resource, Request request,
                                              UriInfo uri) {
        return answer(e, resource, request, uri);
    }

    @ServerExceptionMapper
    public Uni<Response> forbidden(ForbiddenException e, ResourceInfo resource, Request request, UriInfo uri) {
        return answer(e, resource, request, uri);
    }

    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e) {
        metrics.rejected(ProblemType.QUOTA_EXCEEDED);
        Response.ResponseBuilder answer = Response.fromResponse(ProblemResponses.of(ProblemType.QUOTA_EXCEEDED,
                e.getMessage(), null)).header(Quotas.HEADER, e.quota().slug());
        if (e.retryAfterSeconds() > 0) {
            answer.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return answer.build();
    }

    private Uni<Response> answer(RuntimeException e, ResourceInfo resource, Request request, UriInfo uri) {
        return problems.toResponse(e, resource.getResourceMethod(),
                AccessProblems.endpoint(request.getMethod(), uri.getPath()));
    }
}
