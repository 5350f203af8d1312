package dev.forger.service.registry;

/** A bundle that will not be served, and why; the other bundles are unaffected. */
public class BundleRefusedException extends RuntimeException {
    private final String source;
    private final String reason;

    public BundleRefusedException(String source, String reason) {
        super(source + ": " + reason);
        this.source = source;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public String reason() {
        return reason;
    }
}
