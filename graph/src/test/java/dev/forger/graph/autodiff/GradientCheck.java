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
 * <p>The loss is one {@link Loss} on one output ({@link #loss}, derived with
 * {@link GradientGraph#derive(OnnxModel, String, String, Loss)}), or an {@link Objective} of several
 * weighted terms ({@link #term}, derived with the general {@code derive}); {@link #derived} checks a
 * gradient graph built elsewhere (by the composition) against the given forward model.
 *
 * <p>Kinks: a ReLU/LeakyReLU whose pre-activation changes sign near x, a MaxPool whose argmax
 * moves, or a logit-margin loss whose runner-up class changes makes a finite difference straddle
 * two linear pieces, so it no longer measures the derivative at x. The check runs a "probe" copy of
 * the forward model that also outputs every ReLU/LeakyReLU input and every MaxPool's indices, and
 * uses only points whose sign pattern / indices equal x's. Deep nets have so many ReLUs that some
 * pre-activation sits within 1e-3 of zero for most coordinates: {@link #steps} gives smaller steps
 * to try in order, and a side of x that crosses a kink is left out (a one-sided difference).
 * A coordinate is skipped when no step works; the check fails unless at least half of the requested
 * coordinates were compared.
 *
 * <p>Each derivative is the slope at x of a quadratic fitted to several points on the kink-free
 * side(s) ({@link #difference}). Tolerance: |analytic - numeric| <= 1e-4 + 2e-3 * max|grad|
 * + 1e-2 * |numeric| + 5 standard errors of the fitted slope (the float32 rounding of the forward
 * pass, which a step of 1e-4 amplifies 10^4-fold). A missing transpose, a wrong pad or a dropped
 * contribution gives errors of the order of the gradient itself.
 */
final class GradientCheck {
    /** The loss in double precision; must be the loss given to derive. */
    interface LossFunction {
        /** The loss of sample n (row n of z [N, ...]). */
        double sample(float[] z, long[] zShape, int n);

        /** Summed over all samples. */
        default double value(float[] z, long[] zShape) {
            double sum = 0;
            for (int n = 0; n < zShape[0]; n++) {
                sum += sample(z, zShape, n);
            }
            return sum;
        }

        /** Discrete state of the loss itself (the margin's runner-up); "" when the loss is smooth. */
        default String kinks(float[] z, long[] zShape) {
            return "";
        }
    }

    /** One term of the objective with its double-precision loss and, when per-sample, the weights fed. */
    private record CheckedTerm(Objective.Term term, LossFunction function, float[] weights) {}

    private final OnnxModel forward;
    private String input = "x";
    private String output = "y";
    private Loss loss = Loss.binaryCrossEntropyWithLogits(0.3f);
    private LossFunction lossFunction = bce(0.3f);
    private final List<CheckedTerm> terms = new ArrayList<>();
    private OnnxModel derived;
    private FloatTensor x;
    private FloatTensor targets;
    private long[] classes;
    private int coordinates = 24;
    private double[] steps = {1e-2};
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

    /** Adds a term of an objective (instead of {@link #loss}); a constant weight comes with the term. */
    GradientCheck term(Objective.Term term, LossFunction function) {
        if (term.weightInput() != null) {
            throw new IllegalArgumentException("a per-sample weighted term needs its weights: term(term, function, weights)");
        }
        terms.add(new CheckedTerm(term, function, null));
        return this;
    }

    /** Adds a term with a per-sample weight, fed as the term's weight input [N,1]. */
    GradientCheck term(Objective.Term term, LossFunction function, float... weights) {
        terms.add(new CheckedTerm(term, function, weights));
        return this;
    }

    /** Checks this gradient graph (made elsewhere from the forward model) instead of deriving one. */
    GradientCheck derived(OnnxModel gradientModel) {
        this.derived = gradientModel;
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
        this.steps = new double[] {h};
        return this;
    }

    /** Steps to try in order for each coordinate: the first that crosses no kink is used. */
    GradientCheck steps(double... hs) {
        this.steps = hs.clone();
        return this;
    }

    /** Runs the check and returns the derived gradient for further assertions. */
    FloatTensor run() throws Exception {
        boolean single = terms.isEmpty();
        List<CheckedTerm> checkedTerms = single ? List.of(new CheckedTerm(Objective.Term.on(output, loss), lossFunction, null))
                : terms;
        List<String> outputs = checkedTerms.stream().map(t -> t.term().output()).distinct().toList();
        OnnxModel gradientModel = derived != null ? derived
                : single ? GradientGraph.derive(forward, input, output, loss)
                : GradientGraph.derive(forward, input, Objective.of(checkedTerms.stream().map(CheckedTerm::term)
                        .toArray(Objective.Term[]::new)), outputs);
        Probe probe = Probe.of(forward, outputs);
        try (OrtRunner derivedRunner = new OrtRunner(gradientModel); OrtRunner probed = new OrtRunner(probe.model)) {
            Map<String, FloatTensor> feeds = new HashMap<>(Map.of(input, x));
            if (targets != null) {
                feeds.put(Loss.TARGET, targets);
            }
            for (CheckedTerm t : checkedTerms) {
                if (t.weights() != null) {
                    feeds.put(t.term().weightInput(), FloatTensor.of(t.weights(), t.weights().length, 1));
                }
            }
            Map<String, long[]> longFeeds = classes == null ? Map.of() : Map.of(Loss.CLASS, classes);
            Map<String, FloatTensor> result = derivedRunner.run(feeds, longFeeds);
            FloatTensor grad = result.get(GradientGraph.GRAD);
            assertThat(grad.shape()).as("grad shape").containsExactly(x.shape());
            try (OrtRunner optimised = new OrtRunner(gradientModel, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                // the service runs with ONNX Runtime's graph optimisations on: same numbers expected
                float[] again = optimised.run(feeds, longFeeds).get(GradientGraph.GRAD).data();
                assertThat(again).as("grad with ORT optimisations")
                        .containsExactly(grad.data(), org.assertj.core.data.Offset.offset((float) (1e-5 * (1e-3 + maxAbs(grad.data())))));
            }

            Map<String, FloatTensor> atX = probed.run(Map.of(input, x));
            for (String o : outputs) {
                FloatTensor z = atX.get(o);
                String inDerived = single && derived == null ? GradientGraph.LOGIT : o;
                assertThat(result.get(inDerived).data()).as("derived '" + inDerived + "' equals the forward output '" + o + "'")
                        .containsExactly(z.data(), org.assertj.core.data.Offset.offset((float) (1e-5 * (1 + maxAbs(z.data())))));
            }
            String baseSignature = signature(probe, atX, checkedTerms);

            double maxGrad = maxAbs(grad.data());
            assertThat(maxGrad).as("max |grad|").isGreaterThan(1e-4);
            double atol = 1e-4 + 2e-3 * maxGrad;
            List<Integer> order = shuffledIndices(x.data().length);
            double atX0 = lossValue(atX, checkedTerms);
            int central = 0;
            int oneSided = 0;
            int skipped = 0;
            double worst = 0;
            List<String> failures = new ArrayList<>();
            for (int i : order.subList(0, Math.min(coordinates, order.size()))) {
                Difference d = difference(i, probe, probed, checkedTerms, baseSignature, atX0);
                if (d == null) {
                    skipped++;
                    continue;
                }
                if (d.central) {
                    central++;
                } else {
                    oneSided++;
                }
                double analytic = grad.data()[i];
                double tolerance = atol + 1e-2 * Math.abs(d.value) + NOISE_ERRORS * d.standardError;
                worst = Math.max(worst, Math.abs(analytic - d.value) / tolerance);
                if (Math.abs(analytic - d.value) > tolerance) {
                    failures.add("coordinate " + i + ": derived " + analytic + ", finite difference " + d.value
                            + " ± " + d.standardError + " (" + (d.central ? "both sides" : "one side") + ", step " + d.h + ")");
                }
            }
            int checked = central + oneSided;
            String what = single ? loss.toString() : checkedTerms.stream().map(t -> t.term().toString()).toList().toString();
            System.out.printf("gradient check %s: %d compared (%d one-sided), %d skipped at kinks, max |grad| %.3g, "
                    + "worst error %.2f of the tolerance%n", forward.graph().getName() + "/" + what, checked, oneSided,
                    skipped, maxGrad, worst);
            assertThat(failures).as("gradient mismatches (max |grad| " + maxGrad + ")").isEmpty();
            assertThat(checked).as("coordinates compared (skipped at kinks: " + skipped + ")")
                    .isGreaterThanOrEqualTo(Math.max(3, Math.min(coordinates, order.size()) / 2));
            return grad;
        }
    }

    /** A finite-difference slope, its standard error from the fit's residuals, the step and whether both sides were used. */
    private record Difference(double value, double standardError, double h, boolean central) {}

    /** Points sampled on each kink-free side of x for the fit. */
    private static final int POINTS_PER_SIDE = 8;
    /** How many standard errors of the fitted slope the derived value may be off by (float32 rounding). */
    private static final double NOISE_ERRORS = 5;

    /**
     * The derivative along coordinate i by finite differences that cross no kink. For the first of
     * {@link #steps} h where x + h or x - h (or both) has x's kink pattern, the loss is sampled at
     * {@value #POINTS_PER_SIDE} evenly spaced points on each such side up to h (stopping at the first
     * point with another pattern) and a quadratic is fitted by least squares through them and x; its
     * slope at x is the derivative. With both sides this is a central difference refined by more
     * points; with one side it is a second-order one-sided difference. The fit's residuals are the
     * float32 rounding of the forward pass, which deep nets amplify at the small steps their dense
     * kinks force: they give the slope's standard error.
     */
    private Difference difference(int i, Probe probe, OrtRunner probed, List<CheckedTerm> terms, String base,
            double atX) throws Exception {
        for (double h : steps) {
            List<double[]> points = new ArrayList<>();
            points.add(new double[] {0, atX});
            int sides = 0;
            for (int side : new int[] {+1, -1}) {
                Map<String, FloatTensor> end = probed.run(Map.of(input, nudged(i, side * h)));
                if (!signature(probe, end, terms).equals(base)) {
                    continue;
                }
                sides++;
                for (int j = 1; j < POINTS_PER_SIDE; j++) {
                    double t = side * h * j / POINTS_PER_SIDE;
                    Map<String, FloatTensor> at = probed.run(Map.of(input, nudged(i, t)));
                    if (!signature(probe, at, terms).equals(base)) {
                        break;
                    }
                    points.add(new double[] {t / h, lossValue(at, terms)});
                }
                points.add(new double[] {side, lossValue(end, terms)});
            }
            if (sides > 0 && points.size() >= 4) {
                double[] fit = quadraticSlope(points);
                return new Difference(fit[0] / h, fit[1] / h, h, sides == 2);
            }
        }
        return null;
    }

    /**
     * Least-squares fit of L(u) = c0 + c1 u + c2 u^2; returns c1 and its standard error
     * sqrt(s^2 (X^T X)^-1 [1][1]) with s^2 the residual variance.
     */
    private static double[] quadraticSlope(List<double[]> points) {
        double[][] xtx = new double[3][3];
        double[] xty = new double[3];
        for (double[] p : points) {
            double[] row = {1, p[0], p[0] * p[0]};
            for (int a = 0; a < 3; a++) {
                xty[a] += row[a] * p[1];
                for (int b = 0; b < 3; b++) {
                    xtx[a][b] += row[a] * row[b];
                }
            }
        }
        double[][] inverse = invert3(xtx);
        double[] c = new double[3];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                c[a] += inverse[a][b] * xty[b];
            }
        }
        double rss = 0;
        for (double[] p : points) {
            double r = p[1] - (c[0] + c[1] * p[0] + c[2] * p[0] * p[0]);
            rss += r * r;
        }
        double variance = rss / (points.size() - 3);
        return new double[] {c[1], Math.sqrt(variance * inverse[1][1])};
    }

    private static double[][] invert3(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0], h = m[2][1],
                k = m[2][2];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        return new double[][] {
                {(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det},
                {(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det},
                {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }

    /** The objective at one point: sum over terms of weight * per-sample weight * the sample's loss. */
    private static double lossValue(Map<String, FloatTensor> outputs, List<CheckedTerm> terms) {
        double total = 0;
        for (CheckedTerm t : terms) {
            FloatTensor z = outputs.get(t.term().output());
            for (int n = 0; n < z.shape()[0]; n++) {
                double w = t.weights() == null ? 1 : t.weights()[n];
                total += t.term().weight() * w * t.function().sample(z.data(), z.shape(), n);
            }
        }
        return total;
    }

    private static String signature(Probe probe, Map<String, FloatTensor> outputs, List<CheckedTerm> terms) {
        StringBuilder s = new StringBuilder(probe.signature(outputs));
        for (CheckedTerm t : terms) {
            FloatTensor z = outputs.get(t.term().output());
            s.append(t.function().kinks(z.data(), z.shape()));
        }
        return s.toString();
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

    /** softplus(z) - t z summed over every element of a sample. */
    static LossFunction bce(float target) {
        return (z, shape, n) -> {
            int per = z.length / (int) shape[0];
            double sum = 0;
            for (int i = n * per; i < (n + 1) * per; i++) {
                sum += softplus(z[i]) - target * (double) z[i];
            }
            return sum;
        };
    }

    /** Per-element targets (same layout as z). */
    static LossFunction bce(float[] targets) {
        return (z, shape, n) -> {
            int per = z.length / (int) shape[0];
            double sum = 0;
            for (int i = n * per; i < (n + 1) * per; i++) {
                sum += softplus(z[i]) - targets[i] * (double) z[i];
            }
            return sum;
        };
    }

    /** logsumexp(z_n) - z_n[c_n] for row n of z [N,K]. */
    static LossFunction crossEntropy(long... classes) {
        return (z, shape, n) -> {
            int k = (int) shape[1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[n * k + j]);
            }
            double exp = 0;
            for (int j = 0; j < k; j++) {
                exp += Math.exp(z[n * k + j] - max);
            }
            return max + Math.log(exp) - z[n * k + (int) classOf(classes, n)];
        };
    }

    /** max_{j != c_n} z_n[j] - z_n[c_n]; the runner-up is its kink state. */
    static LossFunction logitMargin(long... classes) {
        return new LossFunction() {
            @Override
            public double sample(float[] z, long[] shape, int n) {
                int k = (int) shape[1];
                int c = (int) classOf(classes, n);
                return z[n * k + runnerUp(z, n, k, c)] - (double) z[n * k + c];
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
        static Probe of(OnnxModel forward, List<String> outputs) {
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
            outputs.forEach(output -> b.output(new ValueInfo(output, DataType.FLOAT_VALUE, null)));
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
