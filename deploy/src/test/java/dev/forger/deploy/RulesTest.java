package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** promtool on the alert rules extracted from the PrometheusRule. */
class RulesTest {
    private static Path dir;

    @BeforeAll
    static void extract() throws IOException {
        dir = Repo.work().resolve("promtool");
        AlertRules.writeRulesFile(dir.resolve("forger-rules.yml"));
        try (InputStream tests = RulesTest.class.getResourceAsStream("/promtool/forger-rules.test.yml")) {
            Files.copy(tests, dir.resolve("forger-rules.test.yml"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void promtoolChecksTheRules() {
        String out = Tools.run(dir, 60, Tools.promtool().toString(), "check", "rules", "forger-rules.yml").orFail();
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsPass() {
        String out = Tools.run(dir, 60, Tools.promtool().toString(), "test", "rules", "forger-rules.test.yml").orFail();
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void theRequiredAlertsExistAndEveryAlertHasAThresholdAndIsUnitTested() throws IOException {
        var rules = AlertRules.all();
        assertThat(rules).extracting(AlertRules.Rule::name).contains("ForgerHighServerErrorRatio", "ForgerLatencyP99High",
                "ForgerQueueSaturated", "ForgerNoModelLoaded", "ForgerPodRestarting");
        String unitTests = Files.readString(dir.resolve("forger-rules.test.yml"));
        for (var rule : rules) {
            assertThat(rule.signal()).as(rule.name()).isNotBlank();
            if (rule.alert()) {
                assertThat(unitTests).as("a promtool test fires " + rule.name()).contains("alertname: " + rule.name() + "\n");
            }
        }
    }
}
