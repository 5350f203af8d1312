/**
 * ONNX Runtime sessions and the per-network micro-batcher that feeds them. Everything that calls
 * into ORT runs on the batchers' own platform threads, never on the event loop.
 */
package dev.forger.service.inference;
