package dev.forger.service.security;

import static io.restassured.RestAssured.given;

import dev.forger.service.fixture.TestIssuer;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Tokens from the test issuer's token endpoint (the password grant), and requests that carry them. */
final class Tokens {
    private Tokens() {}

    /** An access token for {@code user}; {@code extra} are the issuer's test hooks (expires_in, audience, foreign). */
    static String of(String user, String... extra) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "password", "username", user,
                "password", user, "client_id", TestIssuer.AUDIENCE));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().formParams(form).post(issuer + "/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }

    /** A request as {@code user} (null: anonymous). */
    static RequestSpecification as(String user) {
        return user == null ? given() : given().auth().oauth2(of(user));
    }
}
