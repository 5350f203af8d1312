package dev.forger.trainer.export;

/** The export cannot start or finish because of its input: no checkpoint, an unwritable output, a net it cannot map. */
public final class ExportException extends Exception {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
