package dev.forger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard's PromQL: every panel target and every query variable, runnable against Prometheus. */
final class Dashboard {
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
    private static final Pattern METRIC_BEFORE_SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    record Query(String where, String expr) {
        /** Metric names the expression selects (every selector here carries braces). */
        Set<String> metrics() {
            Set<String> names = new LinkedHashSet<>();
            Matcher m = METRIC_BEFORE_SELECTOR.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    final JsonNode json;

    Dashboard(Path file) throws IOException {
        this.json = KubeObjects.JSON.readTree(Files.readString(file));
    }

    /** Panel targets, nested row panels included. */
    List<Query> panelQueries() {
        List<Query> out = new ArrayList<>();
        collect(json.path("panels"), out);
        return out;
    }

    /** Query variables as PromQL: Grafana's label_values(selector, label) is the series' values of that label. */
    List<Query> variableQueries() {
        List<Query> out = new ArrayList<>();
        for (JsonNode variable : json.path("templating").path("list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            String q = variable.path("query").isObject() ? variable.path("query").path("query").asText() : variable.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(q.trim());
            if (!m.matches()) {
                throw new AssertionError("variable " + variable.path("name").asText() + ": only label_values(selector, label) is supported, got " + q);
            }
            out.add(new Query("variable $" + variable.path("name").asText(), "count by (" + m.group(2) + ") (" + m.group(1) + ")"));
        }
        return out;
    }

    List<String> variableNames() {
        List<String> names = new ArrayList<>();
        json.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /**
     * The expression as Prometheus would get it from Grafana with every variable at "All" (".*") and
     * $__rate_interval at {@code rateInterval}. Fails on a variable the dashboard does not define.
     */
    String substitute(String expr, String rateInterval) {
        String out = expr.replace("$__rate_interval", rateInterval).replace("$__interval", rateInterval);
        for (String name : variableNames()) {
            out = out.replace("${" + name + "}", ".*").replace("$" + name, ".*");
        }
        if (out.contains("$")) {
            throw new AssertionError("undefined variable in " + expr);
        }
        return out;
    }

    private static void collect(JsonNode panels, List<Query> out) {
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            for (JsonNode target : panel.path("targets")) {
                out.add(new Query("panel '" + title + "' target " + target.path("refId").asText(), target.path("expr").asText()));
            }
            collect(panel.path("panels"), out);
        }
    }
}
