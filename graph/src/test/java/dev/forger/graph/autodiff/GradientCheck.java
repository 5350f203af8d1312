package dev.forger.graph.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtSession;
import dev.forger.graph.OrtRunner;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Checks a derived gradient graph against central finite differences through ONNX Runtime forward
 * passes: for a random subset of input coordinates i, (L(x + h e_i) - L(x - h e_i)) / 2h with the loss
 * L evaluated in double from the float32 outputs, against the derived {@code grad}.
 *
 * <p>Kinks: a ReLU/LeakyReLU whose pre-activation changes sign between x - h, x and x + h, a MaxPool
 * whose argmax moves, or a logit-margin loss whose runner-up class changes makes the finite
 * difference straddle two linear pieces, so it no longer measures the derivative at x. The check runs
 * a "probe" copy of the forward model that also outputs every ReLU/LeakyReLU input and every MaxPool's
 * indices; a coordinate is skipped when their sign pattern / values differ between the three points.
 * The check fails unless at least half of the requested coordinates were compared.
 *
 * <p>Tolerance: |analytic - numeric| <= 1e-4 + 2e-3 * max|grad| + 1e-2 * |numeric|. A missing
 * transpose, a wrong pad or a dropped contribution gives errors of the order of the gradient itself.
 */
final class GradientCheck {
    /** The loss in double precision, summed over all samples; must be the loss given to derive. */
    interface LossFunction {
        double value(float[] z, long[] zShape);

        /** Discrete state of the loss itself (the margin's runner-up); "" when the loss is smooth. */
        default String kinks(float[] z, long[] zShape) {
            return "";
        }
    }

    private final OnnxModel forward;
    private String input = "x";
    private String output = "y";
    private Loss loss = Loss.binaryCrossEntropyWithLogits(0.3f);
    private LossFunction lossFunction = bce(0.3f);
    private FloatTensor x;
    private FloatTensor targets;
    private long[] classes;
    private int coordinates = 24;
    private double h = 1e-2;
    private long seed = 1;

    private GradientCheck(OnnxModel forward) {
        this.forward = forward;
    }

    static GradientCheck of(OnnxModel forward) {
        return new GradientCheck(forward);
    }

    GradientCheck input(String name) {
        this.input = name;
        return this;
    }

    GradientCheck output(String name) {
        this.output = name;
        return this;
    }

    GradientCheck loss(Loss loss, LossFunction function) {
        this.loss = loss;
        this.lossFunction = function;
        return this;
    }

    GradientCheck at(FloatTensor x) {
        this.x = x;
        return this;
    }

    /** Feeds the per-sample BCE target input. */
    GradientCheck targets(FloatTensor targets) {
        this.targets = targets;
        return this;
    }

    /** Feeds the per-sample class input. */
    GradientCheck classes(long... classes) {
        this.classes = classes;
        return this;
    }

    GradientCheck coordinates(int count) {
        this.coordinates = count;
        return this;
    }

    GradientCheck step(double h) {
        this.h = h;
        return this;
    }

    /** Runs the check and returns the derived gradient for further assertions. */
    FloatTensor run() throws Exception {
        OnnxModel gradientModel = GradientGraph.derive(forward, input, output, loss);
        Probe probe = Probe.of(forward, output);
        try (OrtRunner derived = new OrtRunner(gradientModel); OrtRunner probed = new OrtRunner(probe.model)) {
            Map<String, FloatTensor> feeds = new HashMap<>(Map.of(input, x));
            if (targets != null) {
                feeds.put(Loss.TARGET, targets);
            }
            Map<String, FloatTensor> result = derived.run(feeds, classes == null ? Map.of() : Map.of(Loss.CLASS, classes));
            FloatTensor grad = result.get(GradientGraph.GRAD);
            assertThat(grad.shape()).as("grad shape").containsExactly(x.shape());
            try (OrtRunner optimised = new OrtRunner(gradientModel, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                // the service runs with ONNX Runtime's graph optimisations on: same numbers expected
                float[] again = optimised.run(feeds, classes == null ? Map.of() : Map.of(Loss.CLASS, classes))
                        .get(GradientGraph.GRAD).data();
                assertThat(again).as("grad with ORT optimisations")
                        .containsExactly(grad.data(), org.assertj.core.data.Offset.offset((float) (1e-5 * (1e-3 + maxAbs(grad.data())))));
            }

            Map<String, FloatTensor> atX = probed.run(Map.of(input, x));
            FloatTensor z = atX.get(output);
            assertThat(result.get(GradientGraph.LOGIT).data()).as("logit equals the forward output")
                    .containsExactly(z.data(), org.assertj.core.data.Offset.offset((float) (1e-5 * (1 + maxAbs(z.data())))));
            String baseSignature = probe.signature(atX) + lossFunction.kinks(z.data(), z.shape());

            double maxGrad = maxAbs(grad.data());
            assertThat(maxGrad).as("max |grad|").isGreaterThan(1e-4);
            double atol = 1e-4 + 2e-3 * maxGrad;
            List<Integer> order = shuffledIndices(x.data().length);
            int checked = 0;
            int skipped = 0;
            List<String> failures = new ArrayList<>();
            for (int i : order.subList(0, Math.min(coordinates, order.size()))) {
                Map<String, FloatTensor> plus = probed.run(Map.of(input, nudged(i, +h)));
                Map<String, FloatTensor> minus = probed.run(Map.of(input, nudged(i, -h)));
                FloatTensor zp = plus.get(output);
                FloatTensor zm = minus.get(output);
                if (!(probe.signature(plus) + lossFunction.kinks(zp.data(), zp.shape())).equals(baseSignature)
                        || !(probe.signature(minus) + lossFunction.kinks(zm.data(), zm.shape())).equals(baseSignature)) {
                    skipped++;
                    continue;
                }
                double numeric = (lossFunction.value(zp.data(), zp.shape()) - lossFunction.value(zm.data(), zm.shape()))
                        / (2 * h);
                double analytic = grad.data()[i];
                checked++;
                if (Math.abs(analytic - numeric) > atol + 1e-2 * Math.abs(numeric)) {
                    failures.add("coordinate " + i + ": derived " + analytic + ", finite difference " + numeric);
                }
            }
            System.out.printf("gradient check %s: %d compared, %d skipped at kinks, max |grad| %.3g%n",
                    forward.graph().getName() + "/" + loss, checked, skipped, maxGrad);
            assertThat(failures).as("gradient mismatches (max |grad| " + maxGrad + ")").isEmpty();
            assertThat(checked).as("coordinates compared (skipped at kinks: " + skipped + ")")
                    .isGreaterThanOrEqualTo(Math.max(3, Math.min(coordinates, order.size()) / 2));
            return grad;
        }
    }

    private FloatTensor nudged(int i, double delta) {
        float[] data = x.data().clone();
        data[i] = (float) (data[i] + delta);
        return new FloatTensor(data, x.shape());
    }

    private List<Integer> shuffledIndices(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, new Random(seed));
        return all;
    }

    static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    // ---- losses in double, matching Loss ----

    /** softplus(z) - t z summed over every element. */
    static LossFunction bce(float target) {
        return (z, shape) -> {
            double sum = 0;
            for (float v : z) {
                sum += softplus(v) - target * (double) v;
            }
            return sum;
        };
    }

    /** Per-element targets (same layout as z). */
    static LossFunction bce(float[] targets) {
        return (z, shape) -> {
            double sum = 0;
            for (int i = 0; i < z.length; i++) {
                sum += softplus(z[i]) - targets[i] * (double) z[i];
            }
            return sum;
        };
    }

    /** logsumexp(z_n) - z_n[c_n] over rows of z [N,K]. */
    static LossFunction crossEntropy(long... classes) {
        return (z, shape) -> {
            int k = (int) shape[1];
            double sum = 0;
            for (int n = 0; n < shape[0]; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, z[n * k + j]);
                }
                double exp = 0;
                for (int j = 0; j < k; j++) {
                    exp += Math.exp(z[n * k + j] - max);
                }
                sum += max + Math.log(exp) - z[n * k + (int) classOf(classes, n)];
            }
            return sum;
        };
    }

    /** max_{j != c_n} z_n[j] - z_n[c_n]; the runner-up is its kink state. */
    static LossFunction logitMargin(long... classes) {
        return new LossFunction() {
            @Override
            public double value(float[] z, long[] shape) {
                int k = (int) shape[1];
                double sum = 0;
                for (int n = 0; n < shape[0]; n++) {
                    int c = (int) classOf(classes, n);
                    sum += z[n * k + runnerUp(z, n, k, c)] - (double) z[n * k + c];
                }
                return sum;
            }

            @Override
            public String kinks(float[] z, long[] shape) {
                int k = (int) shape[1];
                StringBuilder s = new StringBuilder("|");
                for (int n = 0; n < shape[0]; n++) {
                    s.append(runnerUp(z, n, k, (int) classOf(classes, n))).append(',');
                }
                return s.toString();
            }
        };
    }

    private static int runnerUp(float[] z, int n, int k, int c) {
        int best = -1;
        for (int j = 0; j < k; j++) {
            if (j != c && (best < 0 || z[n * k + j] > z[n * k + best])) {
                best = j;
            }
        }
        return best;
    }

    private static long classOf(long[] classes, int n) {
        return classes.length == 1 ? classes[0] : classes[n];
    }

    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    /** The forward model plus outputs exposing every kink: ReLU/LeakyReLU inputs and MaxPool indices. */
    private record Probe(OnnxModel model, List<String> signs, List<String> indices) {
        static Probe of(OnnxModel forward, String output) {
            ModelBuilder b = new ModelBuilder("probe").opset(forward.opset());
            forward.graph().getInputList().forEach(b::input);
            forward.graph().getInitializerList().forEach(b::initializer);
            Set<String> preActivations = new LinkedHashSet<>();
            List<String> indices = new ArrayList<>();
            for (NodeProto n : forward.nodes()) {
                if (n.getOpType().equals("Relu") || n.getOpType().equals("LeakyRelu")) {
                    preActivations.add(n.getInput(0));
                }
                if (n.getOpType().equals("MaxPool")) {
                    String idx = n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() ? n.getOutput(1) : b.fresh("probe_idx");
                    n = n.toBuilder().clearOutput().addOutput(n.getOutput(0)).addOutput(idx).build();
                    indices.add(idx);
                }
                b.addNode(n);
            }
            b.output(new ValueInfo(output, DataType.FLOAT_VALUE, null));
            List<String> signs = new ArrayList<>();
            for (String v : preActivations) {
                String probe = b.node("Identity", v).output(b.fresh("probe_pre"));
                signs.add(probe);
                b.output(new ValueInfo(probe, DataType.FLOAT_VALUE, null));
            }
            for (String idx : indices) {
                String probe = b.node("Identity", idx).output(b.fresh("probe_idx_out"));
                b.output(new ValueInfo(probe, DataType.INT64_VALUE, null));
                indices.set(indices.indexOf(idx), probe);
            }
            return new Probe(b.build(), signs, indices);
        }

        String signature(Map<String, FloatTensor> outputs) {
            StringBuilder s = new StringBuilder();
            for (String name : signs) {
                for (float v : outputs.get(name).data()) {
                    s.append(v > 0 ? '+' : '-');
                }
                s.append('/');
            }
            for (String name : indices) {
                for (float v : outputs.get(name).data()) {
                    s.append((long) v).append(',');
                }
                s.append('/');
            }
            return s.toString();
        }
    }
}
