package dev.forger.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** API keys as configured: parsed and checked at start-up, found by their secret, never kept in clear. */
class ApiKeysTest {
    private static final String SECRET = "0123456789abcdef-ci";

    @Test
    void aKeyIsFoundByItsSecretWhetherGivenInClearOrAsItsDigest() {
        String digest = HexFormat.of().formatHex(ApiKeys.sha256("grafana-secret-123456"));
        ApiKeys keys = new ApiKeys(List.of("ci:researcher:" + SECRET, " grafana : reader : sha256:" + digest, ""));
        assertThat(keys.any()).isTrue();
        assertThat(keys.find(SECRET)).get().extracting(ApiKeys.Key::principal, ApiKeys.Key::role)
                .containsExactly("key:ci", "researcher");
        assertThat(keys.find("grafana-secret-123456")).get().extracting(ApiKeys.Key::principal)
                .isEqualTo("key:grafana");
        assertThat(keys.find(SECRET + " ")).isEmpty();
        assertThat(keys.find("")).isEmpty();
        assertThat(keys.all()).allSatisfy(key -> assertThat(key.digest()).hasSize(32));
    }

    @Test
    void aBadEntryStopsTheStartWithoutShowingTheSecret() {
        assertThatThrownBy(() -> new ApiKeys(List.of("ci:admin:" + SECRET)))
                .hasMessageContaining("role 'admin'").hasMessageContaining("reader, researcher, operator")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> new ApiKeys(List.of("ci:reader:short"))).hasMessageContaining("at least 16")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> new ApiKeys(List.of("ci-" + SECRET))).hasMessageContaining("name:role:secret")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> new ApiKeys(List.of("ci:reader:sha256:abc"))).hasMessageContaining("64 hex digits");
    }

    @Test
    void noKeysMeansNone() {
        assertThat(new ApiKeys(List.of()).any()).isFalse();
    }

    @Test
    void eachRoleIncludesTheOnesBelowIt() {
        assertThat(Roles.including(Set.of("operator"))).containsExactlyInAnyOrder("operator", "researcher", "reader");
        assertThat(Roles.including(Set.of("researcher", "other"))).containsExactlyInAnyOrder("researcher", "reader",
                "other");
        assertThat(Roles.including(Set.of("reader"))).containsExactly("reader");
        assertThat(Roles.including(Set.of())).isEmpty();
    }
}
