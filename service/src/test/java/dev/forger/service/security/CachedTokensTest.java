package dev.forger.service.security;

import static dev.forger.service.security.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.forger.service.api.Metrics;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.fixture.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens reused from {@link BearerTokenCache} (the same token's later requests skip the signature check)
 * against the real issuer's tokens: served from the cache, a token still loses its access at its expiry, a
 * changed signature on a cached token's claims is refused, and the roles apply as on a token's first request.
 */
@QuarkusTest
@TestProfile(IdentityOn.class)
@QuarkusTestResource(value = TestBundles.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class CachedTokensTest {
    private static byte[] digit;

    @BeforeEach
    void aDigit() {
        if (digit == null) {
            digit = as("rita").get("/api/v1/generate?count=1&seed=3").then().statusCode(200).extract().asByteArray();
        }
    }

    static double hits() {
        return Metrics.value("cache_gets_total", "cache=\"" + BearerTokenCache.NAME + "\"", "result=\"hit\"");
    }

    @Test
    void aTokenServedFromTheCacheIsRefusedOnceItExpires() throws InterruptedException {
        String token = Tokens.of("rita", "expires_in", "4");
        long expiry = System.currentTimeMillis() + 4000;
        double before = hits();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/api/v1/models").then().statusCode(200);
        }
        assertThat(hits() - before).as("the second and third requests answered from the cache")
                .isGreaterThanOrEqualTo(2);

        Thread.sleep(Math.max(0, expiry - System.currentTimeMillis()) + 1500);
        given().auth().oauth2(token).get("/api/v1/models").then().statusCode(401)
                .body("detail", containsString("credentials were refused"));
    }

    @Test
    void anotherSignatureOnACachedTokensClaimsIsRefused() {
        String token = Tokens.of("alice");
        given().auth().oauth2(token).get("/api/v1/evaluations").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/evaluations").then().statusCode(200);
        String signed = token.substring(0, token.lastIndexOf('.') + 1);

        // the signature of another genuine token of the same issuer (a splice), and the own one with a bit flipped
        String other = Tokens.of("alice");
        String spliced = signed + other.substring(other.lastIndexOf('.') + 1);
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
        signature[signature.length / 2] ^= 1;
        String flipped = signed + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        for (String forged : new String[] {spliced, flipped}) {
            given().auth().oauth2(forged).get("/api/v1/evaluations").then().statusCode(401)
                    .body("detail", containsString("credentials were refused"));
        }
        given().auth().oauth2(token).get("/api/v1/evaluations").then().statusCode(200);
    }

    @Test
    void rolesApplyToACachedTokenAsToANewOne() {
        String reader = Tokens.of("rita");
        String operator = Tokens.of("olga");
        double before = hits();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(reader).contentType("image/png").body(digit).post("/api/v1/score").then()
                    .statusCode(200);
            given().auth().oauth2(reader).contentType("image/png").body(digit).post("/api/v1/attack?method=fgsm")
                    .then().statusCode(403).body("detail", containsString("'rita' has reader"));
            given().auth().oauth2(reader).contentType("application/json").body("{}").post("/v2/repository/index")
                    .then().statusCode(403);
            // an operator's token carries only "operator": the roles it includes are derived on every request
            given().auth().oauth2(operator).contentType("image/png").body(digit).post("/api/v1/attack?method=fgsm")
                    .then().statusCode(200);
            given().auth().oauth2(operator).contentType("application/json").body("{}").post("/v2/repository/index")
                    .then().statusCode(200);
        }
        assertThat(hits() - before).as("the second round answered from the cache").isGreaterThanOrEqualTo(5);
    }
}
