package dev.forger.service.security;

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

/** The API's mappers of access failures (401, 403): {@link AccessProblems} writes the answers. */
public class AccessProblemMappers {
    @Inject
    AccessProblems problems;

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

    private Uni<Response> answer(RuntimeException e, ResourceInfo resource, Request request, UriInfo uri) {
        return problems.toResponse(e, resource.getResourceMethod(),
                AccessProblems.endpoint(request.getMethod(), uri.getPath()));
    }
}
