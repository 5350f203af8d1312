package dev.forger.service.oip;

import java.util.List;

/** What a model answered, ready for either protocol to encode. */
public record InferResult(OipModel model, String id, List<Output> outputs) {

    /**
     * One output tensor, FP32, row-major.
     *
     * @param binary whether REST sends it as binary data after the JSON (gRPC always sends raw bytes)
     */
    public record Output(String name, long[] shape, float[] data, boolean binary) {}

    public boolean anyBinary() {
        return outputs.stream().anyMatch(Output::binary);
    }
}
