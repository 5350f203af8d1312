package dev.forger.service.registry;

import dev.forger.graph.compose.Composition;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.util.List;

/**
 * Generators whose latent input is 4-D, as PyTorch DCGANs take z ([N, dim, 1, 1], fed straight into a
 * transposed convolution), are served as the [N, dim] generators every other part of the service expects:
 * a one-node Reshape adapter is composed in front of them ({@link Composition}), so generation, latent
 * attacks and the Open Inference Protocol see one latent shape whatever the exporter chose.
 */
final class GeneratorInput {
    /** The adapted generator's input: z [N, dim]. */
    static final String Z = "z";

    private GeneratorInput() {}

    /** Whether the generator's input is [N, dim, 1, 1] rather than [N, dim]. */
    static boolean isFourDimensional(OnnxModel generator, String input) {
        List<ValueInfo.Dimension> shape = generator.input(input).shape();
        return shape.size() == 4 && isOne(shape.get(2)) && isOne(shape.get(3));
    }

    private static boolean isOne(ValueInfo.Dimension dimension) {
        return !dimension.isFixed() || dimension.size() == 1;
    }

    /** z [N, dim] -> Reshape [N, dim, 1, 1] -> the generator: input {@value #Z}, the generator's outputs. */
    static OnnxModel flattened(OnnxModel generator, String input, int dim) {
        ModelBuilder adapter = new ModelBuilder("latent-adapter")
                .input(ValueInfo.batchedFloat(Z, dim))
                .output(ValueInfo.batchedFloat("z_nchw", dim, 1, 1));
        String shape = adapter.int64Constant("shape", -1, dim, 1, 1);
        adapter.node("Reshape", Z, shape).output("z_nchw");
        return Composition.of("latent-adapter", adapter.build()).into("generator", generator)
                .connect("z_nchw", input).build();
    }
}
