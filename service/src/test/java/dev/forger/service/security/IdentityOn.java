package dev.forger.service.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Identity on: the {@link dev.forger.service.fixture.TestIssuer}'s tokens (its URL comes from the test resource)
 * and two API keys, one given in clear and one as its SHA-256; small researcher (attack) and reader (generated
 * images) budgets per hour so that a test can use them up; the model repository on, so that its operator-only
 * routes exist.
 */
public class IdentityOn implements QuarkusTestProfile {
    static final String CI_KEY = "ci-key-8f3a2c9d0b7e4f61a5c3";
    /** sha256sum of "dashboard-key-5b1e9c7a3d2f" */
    static final String DASHBOARD_KEY = "dashboard-key-5b1e9c7a3d2f";
    static final long RESEARCHER_IMAGE_STEPS = 2000;
    static final long READER_GENERATED_IMAGES = 100;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "forger.security.api-keys", "ci:researcher:" + CI_KEY + ",dashboard:reader:sha256:"
                        + java.util.HexFormat.of().formatHex(ApiKeys.sha256(DASHBOARD_KEY)),
                "forger.security.quotas.budgets.researcher.attack-image-steps",
                Long.toString(RESEARCHER_IMAGE_STEPS),
                "forger.security.quotas.budgets.reader.generated-images", Long.toString(READER_GENERATED_IMAGES),
                // an hour's budget: what refills while a test runs (slowly, on a loaded machine) stays negligible
                "forger.security.quotas.window", "1h",
                "forger.oip.repository.enabled", "true",
                // RestAssured's read timeout: attacks on a machine shared with other builds may take a while
                "quarkus.http.test-timeout", "120s");
    }
}
