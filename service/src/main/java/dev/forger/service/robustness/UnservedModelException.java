package dev.forger.service.robustness;

/**
 * This replica cannot run a unit: it serves another version of a model the evaluation was planned on (the
 * discriminator's sha256 differs), or not that model at all. Another replica may still serve the planned
 * version (a rolling update), so the unit goes back to the queue rather than failing the evaluation here.
 */
final class UnservedModelException extends RuntimeException {
    UnservedModelException(String message) {
        super(message, null, false, false);
    }
}
