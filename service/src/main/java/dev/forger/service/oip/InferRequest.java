package dev.forger.service.oip;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An inference request as both protocols deliver it, before it is checked against the model.
 *
 * @param id                 echoed in the response; null when the client gave none
 * @param inputs             the input tensors, in request order
 * @param outputs            the outputs asked for; empty: all of them
 * @param binaryOutputs      the request's {@code binary_data_output} (REST binary extension): outputs that do
 *                           not say otherwise travel as binary data
 */
public record InferRequest(String id, List<Input> inputs, List<RequestedOutput> outputs, boolean binaryOutputs) {

    /**
     * One input tensor. Exactly one of {@code values} (typed: JSON numbers, gRPC fp32_contents) and
     * {@code raw} (little-endian bytes: the binary extension, gRPC raw_input_contents) holds its data.
     *
     * @param otherContents names data of another type than numbers (JSON strings or booleans, gRPC
     *                      int_contents, ...) when the request carried some; null otherwise
     */
    public record Input(String name, String datatype, long[] shape, float[] values, ByteBuffer raw,
                        String otherContents) {}

    /** @param binary the output's {@code binary_data} parameter; null when not given */
    public record RequestedOutput(String name, Boolean binary) {}
}
