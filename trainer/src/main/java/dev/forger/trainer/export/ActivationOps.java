package dev.forger.trainer.export;

import dev.forger.graph.onnx.ModelBuilder;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * DL4J activation functions as ONNX operators: ReLU → Relu, LeakyReLU(α) → LeakyRelu(alpha = α),
 * tanh → Tanh, sigmoid → Sigmoid, softmax → Softmax over axis 1 (DL4J's class axis of [N, classes]),
 * identity → nothing (or Identity when a node is needed).
 * Anything else, including ReLU with a threshold, a cap or a negative slope, is refused.
 */
final class ActivationOps {
    private ActivationOps() {}

    static boolean isIdentity(IActivation fn) {
        return fn == null || fn.getClass() == ActivationIdentity.class;
    }

    static boolean isSoftmax(IActivation fn) {
        return fn != null && fn.getClass() == ActivationSoftmax.class;
    }

    /** Whether the function has a kink at 0 (ReLU-type), where a finite difference must not step across. */
    static boolean hasKink(IActivation fn) {
        return fn != null && (fn.getClass() == ActivationReLU.class || fn.getClass() == ActivationLReLU.class);
    }

    /** Fails naming the layer when {@code fn} has no ONNX counterpart here. */
    static void requireSupported(IActivation fn, String layer) {
        opType(fn, layer);
    }

    /** Emits {@code output = fn(input)}; identity becomes an Identity node. */
    static void emit(ModelBuilder b, IActivation fn, String input, String output, String nodeName, String layer) {
        String op = opType(fn, layer);
        var node = b.node(op, input).name(nodeName);
        if (fn instanceof ActivationLReLU leaky) {
            // always explicit, never the operator's default: defaults differ between tools and versions
            node.attr("alpha", (float) leaky.getAlpha());
        }
        if (isSoftmax(fn)) {
            node.attr("axis", 1L);
        }
        node.output(output);
    }

    private static String opType(IActivation fn, String layer) {
        if (isIdentity(fn)) {
            return "Identity";
        }
        Class<?> type = fn.getClass();
        if (type == ActivationReLU.class) {
            ActivationReLU relu = (ActivationReLU) fn;
            if (isZeroOrNull(relu.getThreshold()) && isZeroOrNull(relu.getNegativeSlope()) && relu.getMax() == null) {
                return "Relu";
            }
            throw new UnsupportedLayerException(layer + ": ReLU with threshold/max/negative slope (" + fn
                    + ") has no ONNX mapping here; use plain ReLU or LeakyReLU");
        }
        if (type == ActivationLReLU.class) {
            return "LeakyRelu";
        }
        if (type == ActivationTanH.class) {
            return "Tanh";
        }
        if (type == ActivationSigmoid.class) {
            return "Sigmoid";
        }
        if (type == ActivationSoftmax.class) {
            return "Softmax";
        }
        throw new UnsupportedLayerException(layer + ": activation " + fn
                + " has no ONNX mapping (supported: identity, ReLU, LeakyReLU, tanh, sigmoid, softmax)");
    }

    private static boolean isZeroOrNull(Double value) {
        return value == null || value == 0.0;
    }
}
