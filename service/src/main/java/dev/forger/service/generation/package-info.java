/**
 * Generation beyond one batch: counter-based latents (sample i depends only on (seed, i)), streams of
 * any count through the generator's batcher in constant memory with backpressure, and the latent
 * walks and arithmetic of Radford et al. (2015, section 6). Between {@code inference} and {@code api}.
 */
package dev.forger.service.generation;
