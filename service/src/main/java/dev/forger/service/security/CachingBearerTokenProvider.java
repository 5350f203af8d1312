package dev.forger.service.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts {@link BearerTokenCache} in front of quarkus-oidc's verification of bearer tokens. Quarkus asks the identity
 * providers of a request type in order of priority; this one comes before quarkus-oidc's and, for a bearer access
 * token of an HTTP request, answers from the cache or else calls quarkus-oidc itself and keeps what it returns, so
 * nothing that quarkus-oidc did not verify is ever kept. Everything else (authorization-code flow tokens, calls
 * without an HTTP request, the cache switched off) falls through to quarkus-oidc unchanged. The roles are still
 * derived on every request: {@link RoleAugmentor} runs after whichever provider answered.
 *
 * <p>A wrapping provider rather than a {@code TokenCustomizer} or a replaced mechanism: the customizer runs before
 * the signature check and cannot skip it, and the mechanism is the OIDC extension's own, chosen per tenant.
 */
@ApplicationScoped
public class CachingBearerTokenProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();
    /** Where quarkus-oidc's tenant resolver leaves a static tenant's id, and a tenant configuration it was given. */
    private static final String STATIC_TENANT = "static.tenant.id";
    private static final String DYNAMIC_TENANT = "dynamic.tenant.config";

    private final OidcIdentityProvider oidc;
    private final BearerTokenCache cache;

    public CachingBearerTokenProvider(OidcIdentityProvider oidc, BearerTokenCache cache) {
        this.oidc = oidc;
        this.cache = cache;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Just above quarkus-oidc's provider, whatever its priority, so that this one is asked first. */
    @Override
    public int priority() {
        return oidc.priority() + 1;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String tenant = http == null ? null : tenant(http);
        if (!cache.enabled() || !(request.getToken() instanceof AccessTokenCredential access) || tenant == null) {
            return Uni.createFrom().nullItem(); // quarkus-oidc's provider, next in line, answers
        }
        String token = access.getToken();
        return cache.find(tenant, token)
                .map(known -> Uni.createFrom().item(forThisRequest(known, http, context)))
                .orElseGet(() -> oidc.authenticate(request, context).invoke(verified -> {
                    // a token is trusted again only by the tenant that verified it
                    if (tenant.equals(verified.getAttribute(OidcUtils.TENANT_ID_ATTRIBUTE))) {
                        cache.remember(tenant, token, verified);
                    }
                }));
    }

    /**
     * The OIDC tenant this request is for, as quarkus-oidc's mechanism resolved it before asking the providers: one
     * chosen by annotation or cookie, else a static one (named tenants, tenant paths), else the default tenant;
     * null when the application resolves tenant configurations itself, which is not cached.
     */
    static String tenant(RoutingContext http) {
        if (http.get(OidcUtils.TENANT_ID_ATTRIBUTE) instanceof String chosen) {
            return chosen;
        }
        if (http.get(STATIC_TENANT) instanceof String named) {
            return named;
        }
        return http.get(DYNAMIC_TENANT) == null ? OidcUtils.DEFAULT_TENANT_ID : null;
    }

    /**
     * The cached identity with this request's own HTTP and authentication contexts in the attributes where
     * quarkus-oidc put those of the request that was verified: the rest (principal, claims, credential, tenant)
     * belongs to the token.
     */
    private static SecurityIdentity forThisRequest(SecurityIdentity known, RoutingContext http,
                                                   AuthenticationRequestContext context) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder(known);
        if (known.getAttribute(ROUTING_CONTEXT) != null) {
            identity.addAttribute(ROUTING_CONTEXT, http);
        }
        if (known.getAttribute(REQUEST_CONTEXT) != null) {
            identity.addAttribute(REQUEST_CONTEXT, context);
        }
        return identity.build();
    }
}
