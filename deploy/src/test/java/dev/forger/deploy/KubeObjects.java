package dev.forger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML → fabric8's typed Kubernetes objects, strictly: fabric8's models keep unknown fields in an
 * {@code additionalProperties} map instead of failing, so a misspelt field ({@code readinesProbe})
 * would pass a plain parse. Every object reached from the root must have none.
 */
final class KubeObjects {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private KubeObjects() {
    }

    /** Every YAML document of a stream (kustomize output or a manifest file), as trees. */
    static List<JsonNode> documents(String yaml, String origin) {
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    out.add(doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(origin + ": not valid YAML: " + e.getMessage(), e);
        }
        return out;
    }

    /** One document as its typed model class; fails naming the origin and the first unknown field. */
    static HasMetadata typed(JsonNode doc, String origin) {
        String where = origin + " (" + doc.path("kind").asText("?") + " " + doc.path("metadata").path("name").asText("?") + ")";
        KubernetesResource resource;
        try {
            if (CnpgCluster.API_VERSION.equals(doc.path("apiVersion").asText()) && CnpgCluster.KIND.equals(doc.path("kind").asText())) {
                CnpgCluster cluster = JSON.treeToValue(doc, CnpgCluster.class); // no fabric8 model: our strict one
                List<String> unknown = new ArrayList<>();
                collectUnknown(cluster.getMetadata(), ".metadata", unknown, new IdentityHashMap<>());
                if (!unknown.isEmpty()) {
                    throw new AssertionError(where + ": fields ObjectMeta does not know: " + unknown);
                }
                return cluster;
            }
            resource = JSON.treeToValue(doc, KubernetesResource.class);
        } catch (IOException e) {
            throw new AssertionError(where + ": does not parse as a Kubernetes object: " + e.getMessage(), e);
        }
        if (resource instanceof GenericKubernetesResource) {
            throw new AssertionError(where + ": no typed model for apiVersion " + doc.path("apiVersion").asText()
                    + " kind " + doc.path("kind").asText() + " (misspelt, or a model module is missing)");
        }
        if (!(resource instanceof HasMetadata object)) {
            throw new AssertionError(where + ": parsed as " + resource.getClass().getName() + ", not an object with metadata");
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(object, "", unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError(where + ": fields the " + resource.getClass().getSimpleName()
                    + " model does not know: " + unknown);
        }
        return object;
    }

    static List<HasMetadata> typedAll(String yaml, String origin) {
        return documents(yaml, origin).stream().map(doc -> typed(doc, origin)).toList();
    }

    /** The fields of a fabric8 model object (and everything it holds) that its schema does not know. */
    static List<String> unknownFields(Object fabric8Object) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(fabric8Object, "", unknown, new IdentityHashMap<>());
        return unknown;
    }

    /** Walks fabric8 model getters; any non-empty getAdditionalProperties() is a field the schema lacks. */
    private static void collectUnknown(Object node, String path, List<String> out, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, out, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> out.add(path + "." + key));
                }
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                collectUnknown(value, path + "." + field, out, seen);
            }
        }
    }

    static String yamlOf(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
