package dev.forger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of k8s/base/prometheusrule.yaml, the single source of them: its spec.groups written as a
 * plain Prometheus rules file for promtool and Prometheus, and each rule's expression.
 */
final class AlertRules {
    /** An alert is `<signal> <comparison> <number>`: the convention the PrometheusRule's header states. */
    private static final Pattern THRESHOLD = Pattern.compile("(?s)^(.*\\S)\\s+(>=|<=|==|!=|>|<)\\s*(-?[0-9.]+(?:e[+-]?[0-9]+)?)\\s*$");

    private AlertRules() {
    }

    record Rule(String name, boolean alert, String expr) {
        /** The part of an alert that must return data whenever the metrics exist; a recording rule's whole expression. */
        String signal() {
            if (!alert) {
                return expr;
            }
            Matcher m = THRESHOLD.matcher(expr.trim());
            if (!m.matches()) {
                throw new AssertionError("alert " + name + " is not `<signal> <comparison> <number>`: " + expr);
            }
            return m.group(1);
        }
    }

    /** Writes spec.groups of the PrometheusRule to {@code target} as a rules file and returns its path. */
    static Path writeRulesFile(Path target) throws IOException {
        JsonNode doc = source();
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("groups", doc.path("spec").path("groups"));
        Files.createDirectories(target.getParent());
        Files.writeString(target, KubeObjects.yamlOf(file));
        return target;
    }

    static List<Rule> all() throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : source().path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                boolean alert = rule.has("alert");
                rules.add(new Rule(rule.path(alert ? "alert" : "record").asText(), alert, rule.path("expr").asText()));
            }
        }
        return rules;
    }

    private static JsonNode source() throws IOException {
        Path file = Repo.prometheusRule();
        List<JsonNode> docs = KubeObjects.documents(Files.readString(file), file.toString());
        if (docs.size() != 1 || !(KubeObjects.typed(docs.get(0), file.toString()) instanceof PrometheusRule)) {
            throw new AssertionError(file + " must hold exactly one PrometheusRule");
        }
        return docs.get(0);
    }
}
