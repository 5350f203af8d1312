package dev.forger.service.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request's API key, on its way from {@link ApiKeyMechanism} to {@link ApiKeyIdentityProvider}. */
public class ApiKeyRequest extends BaseAuthenticationRequest {
    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
