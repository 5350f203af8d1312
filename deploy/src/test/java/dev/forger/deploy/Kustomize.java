package dev.forger.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** `kubectl kustomize DIR`, parsed strictly into typed objects. */
record Kustomize(Path dir, List<HasMetadata> objects) {

    static Kustomize build(Path dir) {
        String yaml = Tools.run(dir, 60, Tools.kubectl().toString(), "kustomize", dir.toString()).orFail();
        return new Kustomize(dir, KubeObjects.typedAll(yaml, "kubectl kustomize " + Repo.root().relativize(dir)));
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError(dir + " renders " + found.size() + " " + type.getSimpleName() + " objects, expected 1");
        }
        return found.get(0);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String namePrefix) {
        return all(type).stream().filter(o -> o.getMetadata().getName().startsWith(namePrefix)).findFirst();
    }
}
