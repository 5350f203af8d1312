/**
 * The Open Inference Protocol (KServe "v2", also spoken by Triton, MLServer, TorchServe and OpenVINO Model
 * Server) next to Forger's own API: REST under {@code /v2} with the binary tensor data extension and the
 * model repository extension, and the gRPC service {@code inference.GRPCInferenceService} on the same port.
 * Every bundle appears as two models, {@code <bundle>-generator} ({@code z} → {@code image}) and
 * {@code <bundle>-discriminator} ({@code image} → {@code logit}); both protocols share
 * {@link dev.forger.service.oip.OipInference}, which runs requests through the bundle's micro-batchers.
 */
package dev.forger.service.oip;
