/**
 * Who may do what, and fair shares of the expensive work. Identity is optional: with no OIDC issuer
 * ({@code quarkus.oidc.auth-server-url}) and no API keys ({@code forger.security.api-keys}) every endpoint is open
 * ({@link IdentityMode} says so once at start-up); with either, requests carry a bearer token or an API key and
 * the resources' {@code @RolesAllowed} decide ({@link Roles}: reader ⊂ researcher ⊂ operator). {@link Quotas}
 * keeps per-client token buckets on attack image·steps, evaluation units and generated images.
 * {@link CachingBearerTokenProvider} reuses the identities of bearer tokens quarkus-oidc has verified
 * ({@link BearerTokenCache}), so the same token is not verified again on each request.
 */
package dev.forger.service.security;
