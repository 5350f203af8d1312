/**
 * Composed graphs: a bundle's networks joined into one ONNX graph and differentiated end to end, for
 * attacks in latent space (z -> generator -> discriminator) and attacks on a classifier with a
 * realism term from the discriminator.
 *
 * <ul>
 *   <li>{@link dev.forger.graph.compose.Composition}: the general mechanism, two ONNX models joined by
 *       feeding inputs of the second from outputs (or inputs) of the first; internal names prefixed
 *       per model, initializers, value infos, opsets and metadata merged; a clear
 *       {@link dev.forger.graph.compose.CompositionException} for unknown names, mismatched types or
 *       shapes, clashing names and opsets that cannot be merged.</li>
 *   <li>{@link dev.forger.graph.compose.AttackGraphs}: what the service calls, with the bytes of the
 *       bundle's ONNX files and the names from its manifest ({@link dev.forger.graph.compose.Net#of}):
 *       forward and gradient graphs under fixed names ({@code z}, {@code image}, {@code logit},
 *       {@code logits}, {@code grad}; {@code target}, {@code class}, {@code class_weight},
 *       {@code realism}), every request parameter a per-sample input so one cached graph serves a
 *       mixed batch.</li>
 * </ul>
 *
 * <pre>{@code
 * Net g = Net.of(generatorBytes, manifest.generator().input(), manifest.generator().output());
 * Net d = Net.of(discriminatorBytes, manifest.discriminator().input(), manifest.discriminator().output());
 * OnnxModel latent = AttackGraphs.latentDiscriminatorGradient(g, d);  // z, target -> image, logit, grad
 * byte[] forOrt = latent.toBytes();
 * }</pre>
 *
 * The gradients come from {@link dev.forger.graph.autodiff.GradientGraph} with an
 * {@link dev.forger.graph.autodiff.Objective}; an operator without a gradient rule is named with its
 * model's prefix ({@code node 'generator/special' (Erf)}).
 */
package dev.forger.graph.compose;
