package dev.forger.graph.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.forger.graph.OrtRunner;
import dev.forger.graph.autodiff.DefaultBundle;
import dev.forger.graph.autodiff.GanTestNets;
import dev.forger.graph.autodiff.TestNets;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Renaming;
import dev.forger.graph.onnx.ValueInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A composite computes what its models compute one after the other; what cannot be joined is refused by name. */
class CompositionTest {
    final TestNets nets = new TestNets(5);
    final GanTestNets gan = new GanTestNets(nets);
    final OnnxModel generator = DefaultBundle.generator().model();
    final OnnxModel discriminator = DefaultBundle.discriminator().model();

    @Test
    void generatorIntoDiscriminatorComputesWhatTheyComputeOneAfterTheOther() throws Exception {
        OnnxModel composite = Composition.of("generator", generator).into("discriminator", discriminator)
                .connect("image", "image").build();
        FloatTensor z = nets.uniform(4, 100);
        try (OrtRunner g = new OrtRunner(generator); OrtRunner d = new OrtRunner(discriminator);
             OrtRunner both = new OrtRunner(composite)) {
            FloatTensor image = g.run("z", z, "image");
            FloatTensor logit = d.run("image", image, "logit");
            Map<String, FloatTensor> out = both.run(Map.of("z", z));
            assertThat(out.keySet()).containsExactly("image", "logit");
            assertThat(out.get("image").data()).containsExactly(image.data(), offset(1e-6f));
            assertThat(out.get("logit").shape()).containsExactly(4, 1);
            assertThat(out.get("logit").data()).containsExactly(logit.data(), offset(1e-5f));
        }
    }

    @Test
    void internalNamesArePrefixedAndTheInterfaceKeepsItsNames() {
        OnnxModel composite = Composition.of("generator", generator).into("discriminator", discriminator)
                .connect("image", "image").build();
        assertThat(composite.inputs()).extracting(ValueInfo::name).containsExactly("z");
        assertThat(composite.outputs()).extracting(ValueInfo::name).containsExactly("image", "logit");
        assertThat(composite.output("image").shape()).isEqualTo(generator.output("image").shape());
        // both nets call their first weight layer0_W
        assertThat(composite.initializers()).containsKeys("generator/layer0_W", "discriminator/layer0_W")
                .doesNotContainKey("layer0_W");
        assertThat(composite.nodes()).extracting(NodeProto::getName)
                .contains("generator/layer0_matmul", "discriminator/layer0_conv");
        assertThat(composite.nodes()).filteredOn(n -> n.getName().equals("discriminator/layer0_conv")).singleElement()
                .satisfies(n -> assertThat(n.getInputList()).containsExactly("image", "discriminator/layer0_W",
                        "discriminator/layer0_b"));
        assertThat(composite.opset()).isEqualTo(17);
        // the bundle's name is the same in both; what differs is kept per model
        assertThat(composite.metadata()).containsEntry("name", "mnist-dcgan")
                .containsEntry("generator/forger.network", "generator")
                .containsEntry("discriminator/forger.network", "discriminator")
                .containsEntry("forger.composition", "generator -> discriminator ('image' -> 'image')");
    }

    @Test
    void aConnectionFromAnInputLetsBothModelsReadIt() throws Exception {
        OnnxModel classifier = gan.classifier("image", 32);
        OnnxModel composite = Composition.of("classifier", classifier).into("discriminator", discriminator)
                .connect("image", "image").build();
        assertThat(composite.inputs()).extracting(ValueInfo::name).containsExactly("image");
        assertThat(composite.outputs()).extracting(ValueInfo::name).containsExactly("probabilities", "logits", "logit");
        FloatTensor image = nets.uniform(3, 1, 32, 32);
        try (OrtRunner c = new OrtRunner(classifier); OrtRunner d = new OrtRunner(discriminator);
             OrtRunner both = new OrtRunner(composite)) {
            Map<String, FloatTensor> out = both.run(Map.of("image", image));
            assertThat(out.get("logits").data()).containsExactly(c.run("image", image, "logits").data(), offset(1e-6f));
            assertThat(out.get("logit").data()).containsExactly(d.run("image", image, "logit").data(), offset(1e-6f));
        }
    }

    @Test
    void pytorchStyleNetsComposeOnceTheirInterfacesAreRenamed() throws Exception {
        // torch.onnx.export calls both ends of both nets "input" and "output"
        OnnxModel g = gan.generator(16);
        OnnxModel d = gan.discriminator("Flatten");
        assertThatThrownBy(() -> Composition.of("generator", g).into("discriminator", d).connect("output", "input").build())
                .isInstanceOf(CompositionException.class)
                .hasMessage("both generator and discriminator have an output named 'output'; the composite would have "
                        + "two: rename one (Renaming.renameInterface) before composing");

        OnnxModel composite = Composition.of("generator", Renaming.renameInterface(g, Map.of("input", "z", "output", "image")))
                .into("discriminator", Renaming.renameInterface(d, Map.of("input", "image", "output", "logit")))
                .connect("image", "image").build();
        assertThat(composite.initializers()).containsKeys("generator/fc.weight", "discriminator/fc.weight");
        FloatTensor z = nets.uniform(2, 16);
        try (OrtRunner gen = new OrtRunner(g); OrtRunner dis = new OrtRunner(d); OrtRunner both = new OrtRunner(composite)) {
            FloatTensor image = gen.run("input", z, "output");
            Map<String, FloatTensor> out = both.run(Map.of("z", z));
            assertThat(out.get("image").data()).containsExactly(image.data(), offset(1e-6f));
            assertThat(out.get("logit").data()).containsExactly(dis.run("input", image, "output").data(), offset(1e-6f));
        }
    }

    @Test
    void anOlderOpsetIsRaisedWhenItsOperatorsBehaveTheSame() throws Exception {
        ModelBuilder older = new ModelBuilder("older").opset(13).input(ValueInfo.batchedFloat("x", 3))
                .output(ValueInfo.batchedFloat("h", 3));
        older.node("Tanh", "x").output("h");
        ModelBuilder newer = new ModelBuilder("newer").opset(17).input(ValueInfo.batchedFloat("h", 3))
                .output(ValueInfo.batchedFloat("y", 3));
        newer.node("Neg", "h").output("y");
        OnnxModel composite = Composition.of("older", older.build()).into("newer", newer.build()).connect("h", "h").build();
        assertThat(composite.opset()).isEqualTo(17);
        try (OrtRunner ort = new OrtRunner(composite)) {
            float[] y = ort.run("x", FloatTensor.of(new float[] {0f, 1f, -2f}, 1, 3), "y").data();
            assertThat(y).containsExactly(new float[] {0f, (float) -Math.tanh(1), (float) Math.tanh(2)}, offset(1e-6f));
        }
    }

    @Test
    void opsetsThatCannotBeMergedAreRefusedNamingTheOperators() {
        ModelBuilder reducing = new ModelBuilder("reducing").opset(13).input(ValueInfo.batchedFloat("x", 3))
                .output(ValueInfo.batchedFloat("h", 1));
        reducing.node("ReduceMean", "x").ints("axes", 1).output("h"); // axes became an input at opset 18
        ModelBuilder newer = new ModelBuilder("newer").opset(18).input(ValueInfo.batchedFloat("h", 1))
                .output(ValueInfo.batchedFloat("y", 1));
        newer.node("Neg", "h").output("y");
        assertThatThrownBy(() -> Composition.of("first", reducing.build()).into("second", newer.build()).connect("h", "h").build())
                .isInstanceOf(CompositionException.class)
                .hasMessage("first uses opset 13 and second opset 18; raising first to opset 18 is not known to be safe "
                        + "for [ReduceMean]: export both with the same opset");

        ModelBuilder ancient = new ModelBuilder("ancient").opset(11).input(ValueInfo.batchedFloat("x", 1))
                .output(ValueInfo.batchedFloat("h", 1));
        ancient.node("Tanh", "x").output("h");
        assertThatThrownBy(() -> Composition.of("first", ancient.build()).into("second", newer.build()).connect("h", "h").build())
                .hasMessage("first uses opset 11 and second opset 18; models of different opsets are joined only from "
                        + "opset 13 on: export both with the same opset");
    }

    @Test
    void mismatchedShapesAndTypesNameBothEnds() {
        OnnxModel colour = new ModelBuilder("colour").input(ValueInfo.batchedFloat("image", 3, 32, 32))
                .output(ValueInfo.batchedFloat("logit", 1)).build();
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", colour)
                .connect("image", "image").build())
                .isInstanceOf(CompositionException.class)
                .hasMessage("generator 'image' is FLOAT[N,1,32,32] but discriminator input 'image' expects FLOAT[N,3,32,32]: "
                        + "dimension 1 differs (1 vs 3)");

        OnnxModel flat = new ModelBuilder("flat").input(ValueInfo.batchedFloat("image", 1024))
                .output(ValueInfo.batchedFloat("logit", 1)).build();
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", flat)
                .connect("image", "image").build())
                .hasMessageEndingWith("ranks differ (4 vs 2)");

        OnnxModel integers = new ModelBuilder("integers")
                .input(new ValueInfo("image", DataType.INT64_VALUE, generator.output("image").shape()))
                .output(ValueInfo.batchedFloat("logit", 1)).build();
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", integers)
                .connect("image", "image").build())
                .hasMessage("generator 'image' is FLOAT[N,1,32,32] but discriminator input 'image' expects "
                        + "INT64[N,1,32,32]: element types differ");
    }

    @Test
    void unknownNamesListWhatThereIs() {
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", discriminator)
                .connect("image", "x").build())
                .isInstanceOf(CompositionException.class)
                .hasMessage("discriminator has no input 'x'; its inputs are [image]");
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", discriminator)
                .connect("images", "image").build())
                .hasMessage("generator has no output or input 'images'; its outputs are [image] and its inputs [z]");
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", discriminator)
                .connect("image", "image").connect("z", "image"))
                .hasMessage("discriminator input 'image' is connected twice: to 'image' and to 'z'");
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", discriminator).build())
                .hasMessage("connect at least one value of generator to an input of discriminator");
    }

    @Test
    void aValueBothModelsWouldDefineIsRefused() {
        // the second model's unconnected input is called like the first model's output
        ModelBuilder two = new ModelBuilder("two").input(ValueInfo.batchedFloat("h", 3)).input(ValueInfo.batchedFloat("y", 3))
                .output(ValueInfo.batchedFloat("out", 3));
        two.node("Add", "h", "y").output("out");
        ModelBuilder one = new ModelBuilder("one").input(ValueInfo.batchedFloat("x", 3)).output(ValueInfo.batchedFloat("y", 3))
                .output(ValueInfo.batchedFloat("h", 3));
        one.node("Tanh", "x").output("h");
        one.node("Neg", "x").output("y");
        assertThatThrownBy(() -> Composition.of("one", one.build()).into("two", two.build()).connect("h", "h").build())
                .isInstanceOf(CompositionException.class)
                .hasMessage("one and two would both define [y] in the composite; rename the inputs or outputs involved "
                        + "(Renaming.renameInterface) before composing");
    }

    @Test
    void operatorsOfOtherDomainsAreRefused() {
        ModelBuilder custom = new ModelBuilder("custom").input(ValueInfo.batchedFloat("image", 1, 32, 32))
                .output(ValueInfo.batchedFloat("logit", 1));
        custom.addNode(NodeProto.newBuilder().setOpType("FusedConv").setDomain("com.microsoft").setName("fused")
                .addInput("image").addOutput("logit").build());
        assertThatThrownBy(() -> Composition.of("generator", generator).into("discriminator", custom.build())
                .connect("image", "image").build())
                .isInstanceOf(CompositionException.class)
                .hasMessage("discriminator: node 'fused' (FusedConv) is from operator domain 'com.microsoft'; only the "
                        + "default ONNX domain can be composed");
    }
}
