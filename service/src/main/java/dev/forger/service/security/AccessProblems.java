package dev.forger.service.security;

import dev.forger.service.api.ProblemResponses;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.List;

/**
 * 401 and 403 as {@code application/problem+json} that name the role the endpoint needs (read from its
 * {@code @RolesAllowed}) and how to send credentials; counted in {@code forger_rejected_requests_total}
 * as {@code unauthenticated} and {@code forbidden}. {@link AccessProblemMappers} calls it for {@code /api/v1};
 * the Open Inference Protocol's resources call it from their own mappers.
 */
@ApplicationScoped
public class AccessProblems {
    private final IdentityMode mode;
    private final ForgerMetrics metrics;
    private final CurrentIdentityAssociation identities;

    public AccessProblems(IdentityMode mode, ForgerMetrics metrics, CurrentIdentityAssociation identities) {
        this.mode = mode;
        this.metrics = metrics;
        this.identities = identities;
    }

    /** Whether {@code e} is an access failure this class answers. */
    public static boolean handles(Throwable e) {
        return e instanceof UnauthorizedException || e instanceof AuthenticationFailedException
                || e instanceof ForbiddenException;
    }

    /** The answer to an access failure at {@code method} (the matched resource method, or null). */
    public Uni<Response> toResponse(Throwable e, Method method, String endpoint) {
        String role = neededRole(method);
        if (e instanceof ForbiddenException) {
            return identities.getDeferredIdentity().onItem().transform(identity -> forbidden(identity, role, endpoint));
        }
        return Uni.createFrom().item(unauthenticated(e instanceof AuthenticationFailedException, role, endpoint));
    }

    private Response unauthenticated(boolean refused, String role, String endpoint) {
        metrics.rejected(ProblemType.UNAUTHENTICATED);
        String how = credentials();
        String detail = refused
                ? "the credentials were refused (an expired or foreign token, or an unknown API key); " + endpoint
                + " needs the role '" + role + "': " + how
                : endpoint + " needs the role '" + role + "', and the request carries no credentials: " + how;
        Response.ResponseBuilder answer = Response.fromResponse(ProblemResponses.of(ProblemType.UNAUTHENTICATED,
                detail, "Authorization"));
        // one header with every challenge (RFC 9110 11.6.1): clients that read one value still see them all
        List<String> challenges = new java.util.ArrayList<>();
        if (mode.oidc()) {
            challenges.add("Bearer");
        }
        if (mode.apiKeys()) {
            challenges.add("ApiKey header=\"" + ApiKeyMechanism.HEADER + "\"");
        }
        if (!challenges.isEmpty()) {
            answer.header("WWW-Authenticate", String.join(", ", challenges));
        }
        return answer.build();
    }

    private Response forbidden(SecurityIdentity identity, String role, String endpoint) {
        metrics.rejected(ProblemType.FORBIDDEN);
        List<String> held = Roles.ALL.stream().filter(identity::hasRole).toList();
        String who = identity.isAnonymous() ? "the caller" : "'" + identity.getPrincipal().getName() + "'";
        return ProblemResponses.of(ProblemType.FORBIDDEN, endpoint + " needs the role '" + role + "' (or one that"
                + " includes it; reader < researcher < operator); " + who + " has "
                + (held.isEmpty() ? "none of Forger's roles" : String.join(", ", held))
                + ". Ask your identity provider's administrator for it.", null);
    }

    private String credentials() {
        if (mode.oidc() && mode.apiKeys()) {
            return "send 'Authorization: Bearer <token>' with a token of the OIDC issuer, or '"
                    + ApiKeyMechanism.HEADER + ": <key>'";
        }
        return mode.oidc() ? "send 'Authorization: Bearer <token>' with a token of the OIDC issuer"
                : "send '" + ApiKeyMechanism.HEADER + ": <key>' with an API key";
    }

    /** The least role {@code method} allows (the method's @RolesAllowed, else its class's). */
    static String neededRole(Method method) {
        if (method == null) {
            return Roles.READER;
        }
        RolesAllowed allowed = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                : method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        if (allowed == null || allowed.value().length == 0) {
            return Roles.READER;
        }
        List<String> named = List.of(allowed.value());
        return Roles.ALL.stream().filter(named::contains).findFirst().orElseGet(() -> String.join(" or ", named));
    }

    static String endpoint(String httpMethod, String path) {
        return httpMethod + " /" + path.replaceFirst("^/+", "");
    }
}
