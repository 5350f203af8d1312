package dev.forger.graph.manifest;

/**
 * One thing wrong with a manifest or its bundle.
 *
 * @param field   the JSON path of the field at fault, e.g. {@code latent.std} or {@code discriminator.sha256}
 * @param message a complete sentence for a log line or an error response, naming the field or file
 */
public record ManifestProblem(String field, String message) {
    @Override
    public String toString() {
        return message;
    }
}
