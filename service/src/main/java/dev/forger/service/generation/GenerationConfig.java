package dev.forger.service.generation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code forger.generation.*}: how far {@code /generate} streams. Formats held in memory whole (png,
 * grid, json) keep {@code forger.limits.max-count}.
 */
@ConfigMapping(prefix = "forger.generation")
public interface GenerationConfig {
    /** Largest count of one streamed request (npy, tar). */
    @WithDefault("10000000")
    long maxStreamCount();

    /**
     * Largest count of one zip stream: a zip's central directory lists every entry at its end, so a zip
     * stream holds about 200 bytes per entry until it ends (tar holds nothing).
     */
    @WithDefault("100000")
    long maxZipCount();

    /** Streams longer than forger.limits.max-count running at once; more are refused with 503 and Retry-After. */
    @WithDefault("8")
    int maxStreams();

    /** Points of one latent walk, and steps between two of them. */
    @WithDefault("16")
    int maxWalkPoints();

    @WithDefault("64")
    int maxWalkSteps();
}
