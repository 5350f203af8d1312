package dev.forger.graph.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.forger.graph.OrtRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBuilderTest {
    static final float[] W = {1, 2, 3, 4, -1, 0, 1, 0, 0.5f, 0.5f, -2, 1}; // [3,4], used with transB=1
    static final float[] B = {0.1f, -0.2f, 0.3f};

    /** y = Reshape(LeakyRelu(2 * x W^T + B, 0.1), Constant [-1,3,1]): every kind of attribute once. */
    static OnnxModel gemmModel() {
        ModelBuilder b = new ModelBuilder("gemm-test")
                .input(ValueInfo.batchedFloat("x", 4))
                .initializer("W", W, 3, 4)
                .initializer("B", B, 3)
                .output(ValueInfo.batchedFloat("y", 3, 1))
                .metadata("forger.network", "test")
                .metadata("forger.note", "built by ModelBuilderTest");
        String g = b.node("Gemm", "x", "W", "B").name("dense").attr("alpha", 2f).attr("transB", 1L).output("g");
        String a = b.node("LeakyRelu", g).attr("alpha", 0.1f).output("a");
        String shape = b.node("Constant").attr("value", Tensors.int64Vector("s", -1, 3, 1)).output("shape");
        b.node("Reshape", a, shape).output("y");
        return b.build();
    }

    static float[] expected(float[] x, int n) {
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                float s = 0;
                for (int k = 0; k < 4; k++) {
                    s += x[i * 4 + k] * W[j * 4 + k];
                }
                float v = 2 * s + B[j];
                y[i * 3 + j] = v > 0 ? v : 0.1f * v;
            }
        }
        return y;
    }

    @Test
    void builtModelRunsInOnnxRuntimeWithAnyBatchSize() throws Exception {
        byte[] bytes = gemmModel().toBytes();
        try (OrtRunner ort = new OrtRunner(OnnxModel.read(bytes))) {
            for (int n : new int[] {1, 3}) {
                float[] x = new float[n * 4];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (i % 5) - 2.2f;
                }
                FloatTensor y = ort.run("x", FloatTensor.of(x, n, 4), "y");
                assertThat(y.shape()).containsExactly(n, 3, 1);
                float[] want = expected(x, n);
                for (int i = 0; i < want.length; i++) {
                    assertThat(y.data()[i]).isCloseTo(want[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void customMetadataIsReadableThroughOnnxRuntime() throws Exception {
        try (OrtRunner ort = new OrtRunner(gemmModel())) {
            assertThat(ort.session().getMetadata().getCustomMetadata())
                    .containsEntry("forger.network", "test")
                    .containsEntry("forger.note", "built by ModelBuilderTest");
            assertThat(ort.session().getInputNames()).containsExactly("x");
            assertThat(ort.session().getOutputNames()).containsExactly("y");
        }
    }

    @Test
    void readerSeesWhatTheBuilderWrote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        gemmModel().write(file);

        OnnxModel m = OnnxModel.read(file);

        assertThat(m.opset()).isEqualTo(ModelBuilder.DEFAULT_OPSET);
        assertThat(m.metadata()).containsEntry("forger.network", "test");
        assertThat(m.inputs()).hasSize(1);
        assertThat(m.input("x").shape()).containsExactly(ValueInfo.Dimension.symbolic("N"), ValueInfo.Dimension.fixed(4));
        assertThat(m.output("y").sizes()).containsExactly(-1, 3, 1);
        assertThat(m.floatInitializer("W")).isEqualTo(FloatTensor.of(W, 3, 4));
        assertThat(m.nodes()).extracting(NodeProto::getOpType).containsExactly("Gemm", "LeakyRelu", "Constant", "Reshape");
        Attributes gemm = Attributes.of(m.nodes().get(0));
        assertThat(gemm.getFloat("alpha", 1f)).isEqualTo(2f);
        assertThat(gemm.getInt("transB", 0)).isEqualTo(1);
        assertThat(gemm.getInt("transA", 0)).isZero();
        TensorProto shape = Attributes.of(m.nodes().get(2)).getTensor("value");
        assertThat(Tensors.toLongs(shape)).containsExactly(-1, 3, 1);
    }

    @Test
    void errorsNameWhatIsWrong() throws Exception {
        OnnxModel m = gemmModel();
        assertThatThrownBy(() -> m.input("image")).hasMessage("model has no input 'image'; its inputs are [x]");
        assertThatThrownBy(() -> m.floatInitializer("nope")).hasMessage("model has no initializer 'nope'");
        assertThatThrownBy(() -> Attributes.of(m.nodes().get(0)).getInt("alpha", 0))
                .hasMessage("node 'dense' (Gemm): attribute 'alpha' is FLOAT, expected INT");
        assertThatThrownBy(() -> new ModelBuilder("g").input(ValueInfo.batchedFloat("x", 1))
                .initializer("x", new float[1], 1).initializer("x", new float[1], 1))
                .hasMessageContaining("'x' is defined twice");
        assertThatThrownBy(() -> OnnxModel.read(new byte[] {1, 2, 3})).hasMessageStartingWith("not an ONNX model");
        Path junk = Files.createTempFile("junk", ".onnx");
        Files.writeString(junk, "hello");
        assertThatThrownBy(() -> OnnxModel.read(junk)).hasMessageContaining(junk.toString());
        Files.delete(junk);
    }

    @Test
    void copyOfReproducesTheModel() throws Exception {
        OnnxModel original = gemmModel();
        OnnxModel copy = ModelBuilder.copyOf(original).build();
        assertThat(copy.proto()).isEqualTo(original.proto());
    }

    @Test
    void freshNamesDoNotClash() {
        ModelBuilder b = new ModelBuilder("g").input(ValueInfo.batchedFloat("x", 1));
        String a = b.fresh("x");
        String c = b.fresh("x");
        assertThat(a).isNotEqualTo("x").isNotEqualTo(c);
        b.node("Identity", "x").output(a);
        assertThat(b.isDefined(a)).isTrue();
    }

    @Test
    void initializersListedAsInputsAreNotReportedAsInputs() {
        OnnxModel m = new ModelBuilder("g").input(ValueInfo.batchedFloat("x", 2))
                .input(ValueInfo.batchedFloat("W", 2)).initializer("W", new float[] {1, 2}, 2)
                .output(ValueInfo.batchedFloat("y", 2)).build();
        assertThat(m.inputs()).extracting(ValueInfo::name).containsExactly("x");
        assertThat(ModelBuilder.copyOf(m).build().proto()).isEqualTo(m.proto());
    }

    @Test
    void tensorsReadTypedFieldsAsWellAsRawData() {
        TensorProto typed = TensorProto.newBuilder().setName("t").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(2).addFloatData(1.5f).addFloatData(-2f).build();
        assertThat(Tensors.toFloats(typed)).containsExactly(1.5f, -2f);
        TensorProto doubles = TensorProto.newBuilder().setName("d").setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDims(1).addDoubleData(0.25).build();
        assertThat(Tensors.toFloats(doubles)).containsExactly(0.25f);
        TensorProto ints = TensorProto.newBuilder().setName("i").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(3).addInt64Data(7).addInt64Data(-1).addInt64Data(0).build();
        assertThat(Tensors.toLongs(ints)).containsExactly(7, -1, 0);
        assertThat(Tensors.toFloats(Tensors.floats("r", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)))
                .containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Tensors.toFloats(Tensors.scalar("s", 3f))).containsExactly(3f);
        assertThatThrownBy(() -> Tensors.floats("bad", new float[3], 2, 2))
                .hasMessage("tensor 'bad': shape [2, 2] holds 4 elements but 3 were given");
        assertThatThrownBy(() -> Tensors.toFloats(ints)).hasMessageContaining("'i' has data type INT64");
    }
}
