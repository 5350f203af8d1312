package dev.forger.graph.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.forger.graph.OrtRunner;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenamingTest {
    /** x -> Tanh -> "image" (an internal value) -> Neg -> y */
    static OnnxModel model() {
        ModelBuilder b = new ModelBuilder("m").input(ValueInfo.batchedFloat("x", 2)).output(ValueInfo.batchedFloat("y", 2));
        b.node("Neg", b.node("Tanh", "x").output("image")).output("y");
        return b.build();
    }

    @Test
    void interfaceNamesChangeAndAnInternalValueInTheWayMoves() throws Exception {
        OnnxModel renamed = Renaming.renameInterface(model(), Map.of("x", "z", "y", "image"));
        assertThat(renamed.inputs()).extracting(ValueInfo::name).containsExactly("z");
        assertThat(renamed.outputs()).extracting(ValueInfo::name).containsExactly("image");
        assertThat(renamed.nodes().get(0).getOutput(0)).isEqualTo("renamed_image");
        try (OrtRunner ort = new OrtRunner(renamed)) {
            float[] y = ort.run("z", FloatTensor.of(new float[] {1f, -0.5f}, 1, 2), "image").data();
            assertThat(y).containsExactly(new float[] {(float) -Math.tanh(1), (float) Math.tanh(0.5)}, offset(1e-6f));
        }
    }

    @Test
    void inputAndOutputMaySwapNames() {
        OnnxModel swapped = Renaming.renameInterface(model(), Map.of("x", "y", "y", "x"));
        assertThat(swapped.inputs()).extracting(ValueInfo::name).containsExactly("y");
        assertThat(swapped.outputs()).extracting(ValueInfo::name).containsExactly("x");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> Renaming.renameInterface(model(), Map.of("image", "z")))
                .hasMessage("model has no input or output 'image'; its inputs are [x] and its outputs [y]");
        assertThatThrownBy(() -> Renaming.renameInterface(model(), Map.of("x", "y")))
                .hasMessage("cannot rename to 'y': the model already has an input or output of that name; rename it too");
        assertThatThrownBy(() -> Renaming.renameInterface(model(), Map.of("x", "a", "y", "a")))
                .hasMessageStartingWith("two inputs or outputs would get the same name");
    }

    @Test
    void graphsWithSubgraphsAreRefused() {
        GraphProto body = GraphProto.newBuilder().setName("body").build();
        ModelBuilder b = new ModelBuilder("m").input(ValueInfo.batchedFloat("x", 2)).output(ValueInfo.batchedFloat("y", 2));
        b.addNode(NodeProto.newBuilder().setOpType("If").setName("branch").addInput("x").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(body)).build());
        assertThatThrownBy(() -> Renaming.renameInterface(b.build(), Map.of("x", "z")))
                .hasMessage("node 'branch' (If) holds a subgraph ('then_branch'); renaming values inside subgraphs is not supported");
    }
}
