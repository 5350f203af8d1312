/**
 * The model registry: finds bundles (folders, zips, the one embedded in the jar), validates them
 * with {@code dev.forger.graph.manifest}, opens their ONNX Runtime sessions and serves them by name.
 */
package dev.forger.service.registry;
