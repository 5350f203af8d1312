package dev.forger.graph.compose;

import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Renaming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One network of a bundle as the manifest declares it: the ONNX model and the names of the input
 * it reads and the output that matters. A null name means the model's first input or output, as in
 * the manifest.
 *
 * @param model  the network
 * @param input  the input the composition feeds (resolved: never null)
 * @param output the output the composition reads (resolved: never null)
 */
public record Net(OnnxModel model, String input, String output) {
    public Net {
        if (model.inputs().isEmpty() || model.outputs().isEmpty()) {
            throw new CompositionException("model '" + model.graph().getName() + "' needs at least one input and one output");
        }
        input = input == null ? model.inputs().get(0).name() : input;
        output = output == null ? model.outputs().get(0).name() : output;
        model.input(input);   // fail naming the inputs there are
        model.output(output);
    }

    /**
     * Parses the bytes of an ONNX file (what the service reads from a bundle).
     *
     * @throws IllegalArgumentException when the bytes are not an ONNX model, or a name is not there
     */
    public static Net of(byte[] onnx, String input, String output) {
        return new Net(OnnxModel.read(onnx), input, output);
    }

    /**
     * The model with only the declared output left and the declared input and output renamed, so
     * networks from any exporter compose under the same names (PyTorch calls both ends of every
     * net "input"/"output"). Other inputs stay as they are.
     */
    OnnxModel renamed(String inputName, String outputName) {
        OnnxModel oneOutput = Renaming.withGraph(model, model.graph().toBuilder().clearOutput()
                .addOutput(model.graph().getOutputList().stream().filter(o -> o.getName().equals(output)).findFirst()
                        .orElseThrow())
                .build());
        Map<String, String> renames = new LinkedHashMap<>();
        renames.put(input, inputName);
        renames.put(output, outputName);
        return Renaming.renameInterface(oneOutput, renames);
    }
}
