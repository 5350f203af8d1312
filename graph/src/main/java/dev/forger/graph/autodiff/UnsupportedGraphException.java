package dev.forger.graph.autodiff;

/**
 * The forward graph cannot be differentiated: an operator without a gradient rule on the path from
 * the input to the output, an attribute value a rule does not handle, an output that does not
 * depend on the input. The message names the node and its operator.
 */
public class UnsupportedGraphException extends IllegalArgumentException {
    public UnsupportedGraphException(String message) {
        super(message);
    }
}
