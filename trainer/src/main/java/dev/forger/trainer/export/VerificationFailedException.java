package dev.forger.trainer.export;

/** The exported bundle does not compute what the DL4J nets compute; nothing was written to the output. */
public final class VerificationFailedException extends Exception {
    private final transient VerificationReport report;

    public VerificationFailedException(VerificationReport report) {
        super("the exported bundle failed verification: " + String.join("; ", report.failures()));
        this.report = report;
    }

    public VerificationReport report() {
        return report;
    }
}
