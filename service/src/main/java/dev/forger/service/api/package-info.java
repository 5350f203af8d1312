/**
 * The REST API: thin JAX-RS resources under /api/v1 that parse and check parameters, hand work to
 * the registry's models and render results; every error becomes application/problem+json.
 */
package dev.forger.service.api;
