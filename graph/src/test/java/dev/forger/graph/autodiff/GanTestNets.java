package dev.forger.graph.autodiff;

import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Tensors;
import dev.forger.graph.onnx.ValueInfo;

/**
 * Small GAN networks as torch.onnx.export writes them (eval mode, opset 17): every net reads
 * "input" and writes "output", value names like "/main/main.0/Conv_output_0", weights named after
 * the PyTorch modules ("main.0.weight", so generator and discriminator share weight names),
 * Linear layers as {@code Gemm transB=1} (PyTorch stores [out, in]), BatchNorm fused into a
 * preceding Conv (a Conv with bias) but kept after ConvTranspose and Gemm, {@code view} as Reshape
 * by a Constant shape (or Flatten, or a Shape -> Gather -> Concat shape).
 */
public final class GanTestNets {
    private final TestNets nets;

    public GanTestNets(TestNets nets) {
        this.nets = nets;
    }

    /** z [N, zDim] -> Gemm -> view(-1, 32, 4, 4) -> BN, ReLU -> ConvT 32->16 -> BN, ReLU -> ConvT 16->1 -> Tanh: [N,1,16,16]. */
    public OnnxModel generator(int zDim) {
        ModelBuilder b = new ModelBuilder("main_graph").producer("pytorch")
                .input(ValueInfo.batchedFloat("input", zDim)).output(ValueInfo.batchedFloat("output", 1, 16, 16));
        b.initializer("fc.weight", nets.gaussian(Math.sqrt(1.0 / zDim), 512, zDim), 512, zDim);
        b.initializer("fc.bias", nets.gaussian(0.1, 512), 512);
        String h = b.node("Gemm", "input", "fc.weight", "fc.bias").name("/fc/Gemm").attr("alpha", 1f).attr("beta", 1f)
                .attr("transB", 1L).output("/fc/Gemm_output_0");
        String shape = b.node("Constant").name("/Constant").attr("value", Tensors.int64Vector("value", -1, 32, 4, 4))
                .output("/Constant_output_0");
        h = b.node("Reshape", h, shape).name("/Reshape").output("/Reshape_output_0");
        h = batchNormRelu(b, h, "main.0", 32);
        b.initializer("main.2.weight", nets.gaussian(Math.sqrt(2.0 / (32 * 4)), 32, 16, 4, 4), 32, 16, 4, 4);
        h = convTranspose(b, h, "main.2", false);
        h = batchNormRelu(b, h, "main.3", 16);
        b.initializer("main.5.weight", nets.gaussian(Math.sqrt(1.0 / (16 * 4)), 16, 1, 4, 4), 16, 1, 4, 4);
        b.initializer("main.5.bias", new float[] {0.05f}, 1);
        h = convTranspose(b, h, "main.5", true);
        b.node("Tanh", h).name("/main/main.6/Tanh").output("output");
        return b.build();
    }

    private String batchNormRelu(ModelBuilder b, String h, String module, int channels) {
        nets.batchNorm(b, module, channels);
        String bn = b.node("BatchNormalization", h, module + "_scale", module + "_bias", module + "_mean", module + "_var")
                .name("/main/" + module + "/BatchNormalization").attr("epsilon", 1e-5f).attr("momentum", 0.9f)
                .output("/main/" + module + "/BatchNormalization_output_0");
        return b.node("Relu", bn).name("/main/" + module + "/Relu").output("/main/" + module + "/Relu_output_0");
    }

    private static String convTranspose(ModelBuilder b, String h, String module, boolean bias) {
        String[] inputs = bias ? new String[] {h, module + ".weight", module + ".bias"} : new String[] {h, module + ".weight"};
        return b.node("ConvTranspose", inputs).name("/main/" + module + "/ConvTranspose").ints("dilations", 1, 1)
                .attr("group", 1L).ints("kernel_shape", 4, 4).ints("output_padding", 0, 0).ints("pads", 1, 1, 1, 1)
                .ints("strides", 2, 2).output("/main/" + module + "/ConvTranspose_output_0");
    }

    /**
     * [N,1,16,16] -> 3 x (Conv k4 s2 p1 with bias (BatchNorm fused), LeakyReLU 0.2) -> flatten -> Gemm transB=1 -> [N,1].
     *
     * @param flattenStyle "Flatten", "Constant" (Reshape by a Constant shape) or "Shape" (a shape computed from the activations)
     */
    public OnnxModel discriminator(String flattenStyle) {
        ModelBuilder b = new ModelBuilder("main_graph").input(ValueInfo.batchedFloat("input", 1, 16, 16))
                .output(ValueInfo.batchedFloat("output", 1)).producer("pytorch");
        String h = "input";
        int[] channels = {1, 8, 16, 32};
        for (int layer = 1; layer <= 3; layer++) {
            String w = nets.conv(b, "main." + (3 * layer - 3) + ".weight", channels[layer], channels[layer - 1], 4, true);
            h = b.node("Conv", h, w, w + "_b").name("/main/main." + (3 * layer - 3) + "/Conv").ints("dilations", 1, 1)
                    .attr("group", 1L).ints("kernel_shape", 4, 4).ints("pads", 1, 1, 1, 1).ints("strides", 2, 2)
                    .output("/main/main." + (3 * layer - 3) + "/Conv_output_0");
            h = b.node("LeakyRelu", h).name("/main/main." + (3 * layer - 1) + "/LeakyRelu").attr("alpha", 0.2f)
                    .output("/main/main." + (3 * layer - 1) + "/LeakyRelu_output_0");
        }
        String flat = switch (flattenStyle) {
            case "Flatten" -> b.node("Flatten", h).name("/Flatten").attr("axis", 1L).output("/Flatten_output_0");
            case "Constant" -> {
                String shape = b.node("Constant").name("/Constant")
                        .attr("value", Tensors.int64Vector("value", -1, 32 * 2 * 2)).output("/Constant_output_0");
                yield b.node("Reshape", h, shape).name("/Reshape").output("/Reshape_output_0");
            }
            case "Shape" -> {
                // x.view(x.size(0), -1) in older exports: the shape is computed from the activations
                String s = b.node("Shape", h).name("/Shape").output("/Shape_output_0");
                String zero = b.node("Constant").attr("value", Tensors.int64s("v", new long[] {0})).output("/Constant_output_0");
                String n = b.node("Gather", s, zero).attr("axis", 0L).output("/Gather_output_0");
                String n1 = b.node("Unsqueeze", n, b.int64Constant("unsq_axes", 0)).output("/Unsqueeze_output_0");
                String shape = b.node("Concat", n1, b.int64Constant("minus_one", -1)).attr("axis", 0L).output("/Concat_output_0");
                yield b.node("Reshape", h, shape).name("/Reshape").output("/Reshape_output_0");
            }
            default -> throw new IllegalArgumentException(flattenStyle);
        };
        b.initializer("fc.weight", nets.gaussian(Math.sqrt(1.0 / 128), 1, 128), 1, 128);
        b.initializer("fc.bias", new float[] {-0.05f}, 1);
        b.node("Gemm", flat, "fc.weight", "fc.bias").name("/fc/Gemm").attr("alpha", 1f).attr("beta", 1f)
                .attr("transB", 1L).output("output");
        return b.build();
    }

    /**
     * A digit classifier on [N,1,size,size] (size divisible by 4): conv-relu-maxpool twice, two dense
     * layers to 10 logits and a Softmax; the logits are output {@code logits}, the probabilities
     * {@code probabilities} (first output).
     */
    public OnnxModel classifier(String input, int size) {
        return classifier(input, size, "MaxPool");
    }

    /** The same with another pooling operator ("MaxPool" or "AveragePool"). */
    public OnnxModel classifier(String input, int size, String pooling) {
        ModelBuilder b = new ModelBuilder("classifier").input(ValueInfo.batchedFloat(input, 1, size, size))
                .output(ValueInfo.batchedFloat("probabilities", 10)).output(ValueInfo.batchedFloat("logits", 10));
        String h = input;
        int[] channels = {1, 4, 8};
        for (int layer = 1; layer <= 2; layer++) {
            String w = nets.conv(b, "c" + layer, channels[layer], channels[layer - 1], 3, true);
            h = b.node("Conv", h, w, w + "_b").ints("pads", 1, 1, 1, 1).output("conv" + layer);
            h = b.node("Relu", h).output("relu" + layer);
            h = b.node(pooling, h).ints("kernel_shape", 2, 2).ints("strides", 2, 2).output("pool" + layer);
        }
        int flat = 8 * (size / 4) * (size / 4);
        h = b.node("Flatten", h).output("flat");
        b.initializer("d1", nets.gaussian(Math.sqrt(2.0 / flat), flat, 16), flat, 16);
        b.initializer("d1_b", nets.gaussian(0.1, 16), 16);
        h = b.node("Relu", b.node("Gemm", h, "d1", "d1_b").output("dense1")).output("hidden");
        b.initializer("d2", nets.gaussian(Math.sqrt(1.0 / 16) * 3, 16, 10), 16, 10);
        String logits = b.node("Gemm", h, "d2").output("logits");
        b.node("Softmax", logits).attr("axis", 1L).output("probabilities");
        return b.build();
    }
}
