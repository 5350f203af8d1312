package dev.forger.service.robustness;

import dev.forger.service.store.EvaluationStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A replica's cache of the evaluations it works on: the spec and the images, read from the store
 * once per evaluation rather than once per unit (256 images are a megabyte).
 */
final class EvaluationInputs {
    private static final int KEEP = 4;

    record Inputs(EvaluationSpec spec, float[] images) {}

    private final EvaluationStore store;
    private final Map<String, Inputs> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Inputs> eldest) {
            return size() > KEEP;
        }
    };

    EvaluationInputs(EvaluationStore store) {
        this.store = store;
    }

    synchronized Inputs of(String evaluationId) {
        Inputs cached = recent.get(evaluationId);
        if (cached != null) {
            return cached;
        }
        EvaluationStore.StoredEvaluation stored = store.find(evaluationId).orElseThrow(() ->
                new IllegalStateException("evaluation " + evaluationId + " was deleted while its units ran"));
        float[] images = ImageBytes.floats(store.images(evaluationId).orElseThrow(() ->
                new IllegalStateException("evaluation " + evaluationId + " has no stored images")));
        Inputs inputs = new Inputs(UnitResults.read(stored.spec(), EvaluationSpec.class), images);
        recent.put(evaluationId, inputs);
        return inputs;
    }
}
