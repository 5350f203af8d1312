package dev.forger.graph.autodiff;

import java.util.Map;
import java.util.TreeMap;

/** The gradient rules by operator type: the op set {@link GradientGraph} can differentiate. */
final class Rules {
    static final Map<String, Rule> ALL = build();

    private Rules() {}

    private static Map<String, Rule> build() {
        Map<String, Rule> rules = new TreeMap<>();
        Rule activations = new ActivationRules();
        for (String op : new String[] {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Identity", "Dropout"}) {
            rules.put(op, activations);
        }
        Rule arithmetic = new ArithmeticRules();
        for (String op : new String[] {"Add", "Sub", "Mul", "Div", "Neg"}) {
            rules.put(op, arithmetic);
        }
        rules.put("Gemm", new GemmRule());
        rules.put("MatMul", new MatMulRule());
        Rule shapes = new ShapeRules();
        for (String op : new String[] {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose"}) {
            rules.put(op, shapes);
        }
        rules.put("Conv", new ConvRules.Conv());
        rules.put("ConvTranspose", new ConvRules.ConvTranspose());
        rules.put("BatchNormalization", new BatchNormRule());
        rules.put("MaxPool", new MaxPoolRule());
        rules.put("AveragePool", new AveragePoolRule());
        rules.put("GlobalAveragePool", new AveragePoolRule());
        return Map.copyOf(rules);
    }
}
