package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's structure: a datasource variable used everywhere, the panels the issue asks for, unique ids. */
class DashboardTest {
    private static Dashboard dashboard;

    @BeforeAll
    static void read() throws IOException {
        dashboard = new Dashboard(Repo.dashboard());
    }

    @Test
    void theDatasourceIsAVariableAndEveryPanelAndTargetUsesIt() {
        JsonNode variable = null;
        for (JsonNode v : dashboard.json.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                variable = v;
            }
        }
        assertThat(variable).as("a datasource variable").isNotNull();
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        String uid = "${" + variable.path("name").asText() + "}";
        for (JsonNode panel : allPanels()) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
                assertThat(target.path("expr").asText()).as(panel.path("title").asText()).isNotBlank();
            }
        }
    }

    @Test
    void thePanelsOfTheIssueAreThere() {
        List<String> titles = allPanels().stream().map(p -> p.path("title").asText().toLowerCase()).toList();
        for (String wanted : List.of("request rate per endpoint", "error ratio per endpoint", "latency p50 / p95 / p99",
                "inference time per network", "batch size per network", "queue time", "images generated and scored per second",
                "real-probability distribution", "attack success rate by method", "attack duration by method",
                "rejected requests by reason", "jvm memory", "cpu")) {
            assertThat(titles).as("a panel titled like '" + wanted + "'").anyMatch(t -> t.startsWith(wanted));
        }
        assertThat(titles).as("the robustness row (issue #14)").contains("robustness")
                .anyMatch(t -> t.startsWith("attack success ratio per model version"))
                .anyMatch(t -> t.startsWith("gradient-masking warnings"))
                .anyMatch(t -> t.startsWith("success change since the previous model version"));
        JsonNode heatmap = allPanels().stream().filter(p -> p.path("type").asText().equals("heatmap")).findFirst().orElseThrow();
        assertThat(heatmap.path("repeat").asText()).as("one verdict heatmap per image source").isEqualTo("source");
        assertThat(heatmap.path("targets").get(0).path("format").asText()).isEqualTo("heatmap");
        assertThat(heatmap.path("targets").get(0).path("expr").asText()).contains("forger_real_probability_bucket", "by (le)");
    }

    @Test
    void panelIdsAreUniqueAndEveryPanelHasAPlace() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : allPanels()) {
            assertThat(ids.add(panel.path("id").asInt())).as("id " + panel.path("id")).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as(panel.path("title").asText()).isBetween(1, 24);
        }
        assertThat(dashboard.json.path("uid").asText()).isEqualTo("forger");
    }

    private static List<JsonNode> allPanels() {
        List<JsonNode> out = new ArrayList<>();
        collect(dashboard.json.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            collect(p.path("panels"), out);
        }
    }
}
