/**
 * ONNX models as data, over the protobuf classes of {@code ai.onnx.proto.OnnxMl}.
 *
 * <ul>
 *   <li>{@link dev.forger.graph.onnx.ModelBuilder} / {@link dev.forger.graph.onnx.NodeBuilder}: build a
 *       model: typed inputs/outputs with a dynamic batch dimension {@code "N"}, float initializers,
 *       nodes with typed attributes, opset, custom metadata.</li>
 *   <li>{@link dev.forger.graph.onnx.OnnxModel}: read one (nodes, initializers as
 *       {@link dev.forger.graph.onnx.FloatTensor}, inputs/outputs as {@link dev.forger.graph.onnx.ValueInfo},
 *       metadata) and serialise it.</li>
 *   <li>{@link dev.forger.graph.onnx.Tensors}, {@link dev.forger.graph.onnx.Attributes}: conversions and
 *       typed attribute access with operator defaults.</li>
 * </ul>
 */
package dev.forger.graph.onnx;
