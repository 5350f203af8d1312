/**
 * Reverse-mode differentiation of ONNX graphs: from a forward model (a discriminator or a
 * classifier), derive one model that outputs the logit and the gradient of a loss on it with respect
 * to the input, so ONNX Runtime computes forward and backward in a single run. White-box attacks in
 * the service use it for bundles that ship no pre-computed gradient graph.
 *
 * <p>Entry points: {@link dev.forger.graph.autodiff.GradientGraph#derive(dev.forger.graph.onnx.OnnxModel,
 * String, String, dev.forger.graph.autodiff.Loss)} with one {@link dev.forger.graph.autodiff.Loss} on one
 * output (outputs {@code logit} and {@code grad}), and the general
 * {@link dev.forger.graph.autodiff.GradientGraph#derive(dev.forger.graph.onnx.OnnxModel, String,
 * dev.forger.graph.autodiff.Objective, java.util.List)} with an {@link dev.forger.graph.autodiff.Objective}:
 * a weighted sum of losses on several outputs (a classifier's logits and a discriminator's logit), with
 * constant or per-sample weights, keeping any forward values as outputs. Graphs composed of several
 * networks ({@code dev.forger.graph.compose}) are differentiated the same way.
 *
 * <p>Design:
 * <ol>
 *   <li>{@code PathAnalysis} prunes the forward graph to what the output needs, sorts it
 *       topologically, and finds the values whose gradient is needed (those through which the output
 *       depends differentiably on the input). Integer side paths such as PyTorch's
 *       {@code Shape -> Gather -> Concat -> Reshape} need none.</li>
 *   <li>The forward nodes are copied; each term's loss emits its dLoss/doutput, times its weight.</li>
 *   <li>One reverse pass asks each node's {@code Rule} for its vector-Jacobian product, emitted as
 *       ONNX ops; a value feeding several nodes gets the Add of their contributions. Rules are
 *       grouped by family (activations, arithmetic, Gemm, MatMul, shapes, convolutions, pools,
 *       BatchNormalization) and registered by operator in {@code Rules}.</li>
 * </ol>
 * Everything shape-dependent is computed from run-time shapes, so the batch dimension stays free.
 * Weights are constants: gradients flow only towards the input; a weight computed from the input, an
 * operator without a rule on the path, or an attribute a rule does not cover fails with an
 * {@link dev.forger.graph.autodiff.UnsupportedGraphException} naming the node and operator.
 */
package dev.forger.graph.autodiff;
