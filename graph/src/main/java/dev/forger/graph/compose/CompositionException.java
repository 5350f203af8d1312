package dev.forger.graph.compose;

/**
 * Two models cannot be composed: a connection names a value one of them lacks, the connected
 * values' types or shapes disagree, names clash in the composite's inputs or outputs, or their
 * opsets cannot be merged. The message names the models and values at fault.
 */
public class CompositionException extends IllegalArgumentException {
    public CompositionException(String message) {
        super(message);
    }
}
