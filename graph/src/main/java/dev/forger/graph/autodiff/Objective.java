package dev.forger.graph.autodiff;

import dev.forger.graph.onnx.ValueInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a gradient graph differentiates: a weighted sum of {@link Loss}es, each on one value of the
 * forward graph. One term is the common case (BCE on a discriminator's logit); two terms give, for
 * example, a classifier loss on the logits plus a realism term on the discriminator's logit of the
 * same image (unrestricted adversarial examples), whose gradients share one backward pass.
 *
 * <p>A term's weight is a constant, or a per-sample graph input (float [N,1], broadcast over the
 * term's output) so that one graph serves requests with different weights in the same batch: a
 * realism weight λ per image, or +1/-1 to move towards or away from a class.
 *
 * <pre>{@code
 * Objective o = Objective.of(
 *         Term.on("logits", Loss.crossEntropy()).weightedBy("class_weight"),
 *         Term.on("logit", Loss.binaryCrossEntropyWithLogits(1f)).weightedBy("realism"));
 * }</pre>
 */
public final class Objective {
    /**
     * One loss on one value of the forward graph, times a weight.
     *
     * @param output      the forward value the loss is on (a graph output or any node's output)
     * @param loss        the loss
     * @param weight      a constant factor (1 unless given)
     * @param weightInput the per-sample weight's graph input (float [N,1]), or null
     */
    public record Term(String output, Loss loss, float weight, String weightInput) {
        public Term {
            if (output == null || output.isEmpty()) {
                throw new IllegalArgumentException("a term needs the name of the value its loss is on");
            }
            if (!Float.isFinite(weight)) {
                throw new IllegalArgumentException("term weight must be finite, was " + weight);
            }
            if (weightInput != null && weightInput.isEmpty()) {
                throw new IllegalArgumentException("a per-sample weight needs an input name");
            }
        }

        /** The loss on {@code output} with weight 1. */
        public static Term on(String output, Loss loss) {
            return new Term(output, loss, 1f, null);
        }

        /** The same term times a constant. */
        public Term times(float factor) {
            return new Term(output, loss, weight * factor, weightInput);
        }

        /** The same term times a per-sample weight fed as graph input {@code input} (float [N,1]). */
        public Term weightedBy(String input) {
            return new Term(output, loss, weight, input);
        }

        @Override
        public String toString() {
            String factor = weight == 1f ? "" : weight + " * ";
            String perSample = weightInput == null ? "" : "input '" + weightInput + "' * ";
            return factor + perSample + loss + " on '" + output + "'";
        }
    }

    private final List<Term> terms;

    private Objective(List<Term> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("an objective needs at least one term");
        }
        this.terms = List.copyOf(terms);
        extraInputs(); // fails early on conflicting input names
    }

    public static Objective of(Term... terms) {
        return new Objective(List.of(terms));
    }

    /** One loss on one output, weight 1. */
    public static Objective of(String output, Loss loss) {
        return of(Term.on(output, loss));
    }

    public List<Term> terms() {
        return terms;
    }

    /**
     * The graph inputs the terms need besides the forward input: the losses' targets or classes
     * and the per-sample weights. Terms needing the same input (two class losses) share it.
     *
     * @throws IllegalArgumentException when two terms need inputs of the same name but different types
     */
    public List<ValueInfo> extraInputs() {
        Map<String, ValueInfo> inputs = new LinkedHashMap<>();
        for (Term t : terms) {
            List<ValueInfo> needed = new ArrayList<>(t.loss().extraInputs());
            if (t.weightInput() != null) {
                needed.add(ValueInfo.batchedFloat(t.weightInput(), 1));
            }
            for (ValueInfo v : needed) {
                ValueInfo before = inputs.putIfAbsent(v.name(), v);
                if (before != null && !before.equals(v)) {
                    throw new IllegalArgumentException("terms need two different inputs named '" + v.name() + "': "
                            + before + " and " + v);
                }
            }
        }
        return List.copyOf(inputs.values());
    }

    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(" + "));
    }
}
