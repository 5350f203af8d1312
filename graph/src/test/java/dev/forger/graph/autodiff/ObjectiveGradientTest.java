package dev.forger.graph.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.graph.autodiff.Objective.Term;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Objectives of several weighted terms on one graph, and the names they may not take. */
class ObjectiveGradientTest {
    final TestNets nets = new TestNets(21);

    /** A shared trunk with two heads: class logits [N,5] and a realism logit [N,1]. */
    OnnxModel twoHeads() {
        ModelBuilder b = new ModelBuilder("heads").input(ValueInfo.batchedFloat("x", 6))
                .output(ValueInfo.batchedFloat("logits", 5)).output(ValueInfo.batchedFloat("logit", 1));
        b.initializer("w", nets.gaussian(0.6, 6, 8), 6, 8);
        String h = b.node("Tanh", b.node("MatMul", "x", "w").output("pre")).output("h");
        b.initializer("wc", nets.gaussian(0.8, 8, 5), 8, 5);
        b.initializer("wd", nets.gaussian(0.8, 8, 1), 8, 1);
        b.node("MatMul", h, "wc").output("logits");
        b.node("MatMul", h, "wd").output("logit");
        return b.build();
    }

    @Test
    void twoTermsWithPerSampleWeights() throws Exception {
        GradientCheck.of(twoHeads())
                .term(Term.on("logits", Loss.crossEntropy()).weightedBy("class_weight"), GradientCheck.crossEntropy(1, 4, 2), 1f, -1f, 0.5f)
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits(1f)).weightedBy("realism"), GradientCheck.bce(1f), 0f, 2f, 1f)
                .classes(1, 4, 2).at(nets.uniform(3, 6)).run();
    }

    @Test
    void constantWeightsAndTwoTermsOnTheSameOutput() throws Exception {
        // 0.5 CE(class 3) - 2 margin(class 3) on the same logits: contributions to one value add up
        GradientCheck.of(twoHeads())
                .term(Term.on("logits", Loss.crossEntropy(3)).times(0.5f), GradientCheck.crossEntropy(3))
                .term(Term.on("logits", Loss.logitMargin(3)).times(-2f), GradientCheck.logitMargin(3))
                .at(nets.uniform(2, 6)).run();
    }

    @Test
    void derivedOutputsAreTheAskedValuesThenGrad() {
        Objective objective = Objective.of(Term.on("logit", Loss.binaryCrossEntropyWithLogits()));
        OnnxModel gradient = GradientGraph.derive(twoHeads(), "x", objective, List.of("logits", "h", "logit"));
        assertThat(gradient.inputs()).extracting(ValueInfo::name).containsExactly("x", "target");
        assertThat(gradient.outputs()).extracting(ValueInfo::name).containsExactly("logits", "h", "logit", "grad");
        assertThat(gradient.metadata()).containsEntry("forger.gradient.output", "logit")
                .containsEntry("forger.gradient.loss", "binaryCrossEntropyWithLogits(input 'target') on 'logit'");
    }

    @Test
    void namesTheGraphNeedsForItselfAreRefused() {
        Objective objective = Objective.of(Term.on("logit", Loss.binaryCrossEntropyWithLogits()));
        assertThatThrownBy(() -> GradientGraph.derive(twoHeads(), "x", objective, List.of("logit", "target")))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessage("output 'target' would clash with the gradient graph's own input or output of that name; "
                        + "inputs: x and [target], gradient output: grad");
        assertThatThrownBy(() -> GradientGraph.derive(twoHeads(), "x", objective, List.of("logit", "logit")))
                .hasMessage("output 'logit' is asked for twice");
        assertThatThrownBy(() -> GradientGraph.derive(twoHeads(), "x", objective, List.of("nothing")))
                .hasMessage("no node produces output 'nothing'");
        assertThatThrownBy(() -> Objective.of(Term.on("logits", Loss.crossEntropy()).weightedBy("class"),
                Term.on("logits", Loss.crossEntropy())))
                .hasMessageStartingWith("terms need two different inputs named 'class'");
        assertThatThrownBy(() -> Term.on("logit", Loss.crossEntropy()).times(Float.NaN))
                .hasMessage("term weight must be finite, was NaN");
    }

    @Test
    void anInternalValueNamedLikeAWeightInputIsMovedAside() throws Exception {
        // the forward graph calls its hidden activations "realism": the weight input takes that name
        ModelBuilder b = new ModelBuilder("clash").input(ValueInfo.batchedFloat("x", 4)).output(ValueInfo.batchedFloat("logit", 1));
        b.initializer("w", nets.gaussian(0.7, 4, 1), 4, 1);
        b.node("MatMul", b.node("Tanh", "x").output("realism"), "w").output("logit");
        GradientCheck.of(b.build())
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits(1f)).weightedBy("realism"), GradientCheck.bce(1f), 0.5f, 3f)
                .at(nets.uniform(2, 4)).run();
    }
}
