package dev.forger.trainer.export;

import ai.onnxruntime.OrtException;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestProblem;
import dev.forger.graph.manifest.ManifestValidator;
import dev.forger.trainer.nets.DcganConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks a written bundle against the DL4J nets it came from, running its files with ONNX Runtime
 * as the service will, on seeded random inputs:
 * <ul>
 *   <li>generator: images for uniform [-1, 1] latents equal {@code G.output(z, false)} within
 *       {@value #OUTPUT_TOLERANCE} (max abs difference);</li>
 *   <li>discriminator: logits for a batch of half uniform [-1, 1] noise, half generated images
 *       (the inputs it was trained on) equal {@code D.output(x, false)} within
 *       {@value #OUTPUT_TOLERANCE}; so do the gradient graph's logits;</li>
 *   <li>gradient graph: {@code grad} for targets that contradict D's verdict (so that
 *       sigmoid(logit) - target is large and exact in float) equals an independent gradient, per
 *       sample within {@value #GRADIENT_RELATIVE_TOLERANCE} of that sample's largest reference
 *       component. The reference is DL4J's own backward pass when D has no BatchNormalization;
 *       otherwise central finite differences of DL4J's inference-mode forward pass in double
 *       ({@link FiniteDifferenceGradient}) on a seeded sample of coordinates. DL4J 1.0.0-M2.1
 *       cannot give an inference-mode input gradient through BatchNormalization: its backward
 *       pass is written for batch statistics and, after an inference-mode forward pass, fails
 *       reading statistics from a closed workspace;</li>
 *   <li>classifier, when the bundle has one: its logits for the same images equal DL4J's, the input of the
 *       output layer in inference mode times its weights plus its bias (the softmax left out), within
 *       {@value #OUTPUT_TOLERANCE};</li>
 *   <li>the manifest validates with its files and checksums ({@link ManifestValidator}).</li>
 * </ul>
 */
public final class BundleVerifier {
    public static final double OUTPUT_TOLERANCE = 1e-4;
    public static final double GRADIENT_RELATIVE_TOLERANCE = 1e-3;
    /** Absolute floor of the gradient limit, for a sample whose reference gradient is all but zero. */
    static final double GRADIENT_ABSOLUTE_FLOOR = 1e-9;
    static final long SEED = 0x5EEDL;
    static final int BATCH = 8;
    static final int FINITE_DIFFERENCE_COORDINATES = 48;

    /** What the gradient graph is compared with. */
    enum GradientReference { DL4J_BACKPROP, FINITE_DIFFERENCES }

    private final GradientReference forcedReference;

    public BundleVerifier() {
        this(null);
    }

    /** @param forcedReference the gradient reference to use regardless of the net, or null to choose */
    BundleVerifier(GradientReference forcedReference) {
        this.forcedReference = forcedReference;
    }

    /** DL4J's backward pass is right in inference mode only without BatchNormalization. */
    static GradientReference referenceFor(MultiLayerNetwork d) {
        boolean batchNorm = d.getLayerWiseConfigurations().getConfs().stream()
                .anyMatch(c -> c.getLayer() instanceof BatchNormalization);
        return batchNorm ? GradientReference.FINITE_DIFFERENCES : GradientReference.DL4J_BACKPROP;
    }

    public VerificationReport verify(Path bundleDir, BundleManifest manifest, MultiLayerNetwork g,
                                     MultiLayerNetwork d, DcganConfig config) {
        return verify(bundleDir, manifest, g, d, null, config);
    }

    /** @param classifier the DL4J net behind the manifest's classifier member, or null when it has none */
    public VerificationReport verify(Path bundleDir, BundleManifest manifest, MultiLayerNetwork g,
                                     MultiLayerNetwork d, MultiLayerNetwork classifier, DcganConfig config) {
        List<String> problems = ManifestValidator.check(manifest, bundleDir).stream()
                .map(ManifestProblem::message).toList();
        if (manifest.generator() == null || manifest.discriminator() == null) {
            return new VerificationReport(List.of(), problems);
        }
        Random random = new Random(SEED);
        long[] imageShape = {BATCH, config.channels(), config.imageSize(), config.imageSize()};
        float[] z = uniform(random, BATCH * config.zDim());
        float[] images = uniform(random, BATCH * config.channels() * config.imageSize() * config.imageSize());
        float[] generated = Dl4jArrays.rowMajor(g.output(Nd4j.create(z, new long[] {BATCH, config.zDim()}, 'c'), false));
        System.arraycopy(generated, 0, images, images.length / 2, images.length / 2);

        List<Comparison> checks = new ArrayList<>();
        String gName = "generator " + manifest.generator().output();
        checks.addAll(orFailure(gName, () -> List.of(compareOutput(gName, bundleDir.resolve(manifest.generator().file()),
                manifest.generator().input(), manifest.generator().output(), z, new long[] {BATCH, config.zDim()}, g))));
        String dName = "discriminator " + manifest.discriminator().output();
        checks.addAll(orFailure(dName, () -> List.of(compareOutput(dName, bundleDir.resolve(manifest.discriminator().file()),
                manifest.discriminator().input(), manifest.discriminator().output(), images, imageShape, d))));
        if (manifest.discriminatorGradient() != null) {
            checks.addAll(orFailure("gradient graph", () -> compareGradient(
                    bundleDir.resolve(manifest.discriminatorGradient().file()), images, imageShape, d, random)));
        }
        if (manifest.classifier() != null) {
            String cName = "classifier " + DcganOnnxExporter.CLASS_LOGITS;
            if (classifier == null) {
                DiffTracker missing = new DiffTracker(cName, "DL4J output layer, pre-softmax");
                missing.mismatch("the manifest declares a classifier but no DL4J classifier was given to compare with");
                checks.add(missing.result());
            } else {
                checks.addAll(orFailure(cName, () -> List.of(compareClassifier(cName,
                        bundleDir.resolve(manifest.classifier().file()), images, imageShape, classifier))));
            }
        }
        return new VerificationReport(checks, problems);
    }

    private interface OrtCheck {
        List<Comparison> run() throws OrtException;
    }

    /** A model ONNX Runtime refuses to load or run fails its check, with ORT's reason. */
    private static List<Comparison> orFailure(String name, OrtCheck check) {
        try {
            return check.run();
        } catch (OrtException e) {
            DiffTracker failed = new DiffTracker(name, "ONNX Runtime");
            failed.mismatch("ONNX Runtime cannot run it: " + e.getMessage());
            return List.of(failed.result());
        }
    }

    private static Comparison compareOutput(String name, Path file, String input, String output, float[] x,
                                            long[] shape, MultiLayerNetwork net) throws OrtException {
        float[] expected = Dl4jArrays.rowMajor(net.output(Nd4j.create(x, shape, 'c'), false));
        DiffTracker diff = new DiffTracker(name, "DL4J output(x, false)");
        try (OrtModel model = OrtModel.open(file)) {
            OrtModel.Tensor actual = model.run(Map.of(input, new OrtModel.Tensor(x, shape))).get(output);
            if (actual == null) {
                diff.mismatch("the model has no output '" + output + "'");
            } else {
                diff.addAll(actual.data(), expected, OUTPUT_TOLERANCE, where(actual.shape()));
            }
        }
        return diff.result();
    }

    /** ORT's logits against DL4J's: the output layer's input (inference mode) · W + b. */
    private static Comparison compareClassifier(String name, Path file, float[] x, long[] shape,
                                                MultiLayerNetwork classifier) throws OrtException {
        List<INDArray> activations = classifier.feedForward(Nd4j.create(x, shape, 'c'), false);
        int last = classifier.getnLayers() - 1;
        Map<String, INDArray> params = classifier.getLayer(last).paramTable();
        INDArray hidden = activations.get(last);
        float[] expected = Dl4jArrays.rowMajor(hidden.mmul(params.get(DefaultParamInitializer.WEIGHT_KEY))
                .addiRowVector(params.get(DefaultParamInitializer.BIAS_KEY)));
        classifier.clear();
        DiffTracker diff = new DiffTracker(name, "DL4J output layer, pre-softmax");
        try (OrtModel model = OrtModel.open(file)) {
            OrtModel.Tensor actual = model.run(Map.of(DcganOnnxExporter.IMAGE, new OrtModel.Tensor(x, shape)))
                    .get(DcganOnnxExporter.CLASS_LOGITS);
            if (actual == null) {
                diff.mismatch("the model has no output '" + DcganOnnxExporter.CLASS_LOGITS + "'");
            } else {
                diff.addAll(actual.data(), expected, OUTPUT_TOLERANCE, where(actual.shape()));
            }
        }
        return diff.result();
    }

    private List<Comparison> compareGradient(Path file, float[] images, long[] shape, MultiLayerNetwork d,
                                             Random random) throws OrtException {
        float[] logits = Dl4jArrays.rowMajor(d.output(Nd4j.create(images, shape, 'c'), false));
        int n = (int) shape[0];
        float[] targets = new float[n];
        for (int s = 0; s < n; s++) {
            targets[s] = logits[s] > 0 ? 0f : 1f;   // against the verdict: a gradient worth checking
        }
        Map<String, OrtModel.Tensor> outputs;
        try (OrtModel model = OrtModel.open(file)) {
            outputs = model.run(Map.of(DcganOnnxExporter.IMAGE, new OrtModel.Tensor(images, shape),
                    DcganOnnxExporter.TARGET, new OrtModel.Tensor(targets, new long[] {n, 1})));
        }
        DiffTracker logitDiff = new DiffTracker("gradient graph " + DcganOnnxExporter.LOGIT, "DL4J output(x, false)");
        OrtModel.Tensor ortLogits = outputs.get(DcganOnnxExporter.LOGIT);
        OrtModel.Tensor ortGrad = outputs.get(DcganOnnxExporter.GRAD);
        if (ortLogits == null) {
            logitDiff.mismatch("the model has no output '" + DcganOnnxExporter.LOGIT + "'");
        } else {
            logitDiff.addAll(ortLogits.data(), logits, OUTPUT_TOLERANCE, where(ortLogits.shape()));
        }
        GradientReference reference = forcedReference != null ? forcedReference : referenceFor(d);
        DiffTracker gradDiff;
        if (ortGrad == null || !Arrays.equals(ortGrad.shape(), shape)) {
            gradDiff = new DiffTracker("gradient graph " + DcganOnnxExporter.GRAD, reference.toString());
            gradDiff.mismatch(ortGrad == null ? "the model has no output '" + DcganOnnxExporter.GRAD + "'"
                    : "shape " + Arrays.toString(ortGrad.shape()) + ", expected " + Arrays.toString(shape));
        } else if (reference == GradientReference.DL4J_BACKPROP) {
            gradDiff = againstBackprop(ortGrad.data(), images, shape, d, logits, targets);
        } else {
            gradDiff = againstFiniteDifferences(ortGrad.data(), images, shape, d, targets, random);
        }
        return List.of(logitDiff.result(), gradDiff.result());
    }

    private static DiffTracker againstBackprop(float[] grad, float[] images, long[] shape, MultiLayerNetwork d,
                                               float[] logits, float[] targets) {
        int n = (int) shape[0];
        float[] dLossDLogit = new float[n];
        for (int s = 0; s < n; s++) {
            dLossDLogit[s] = (float) (1 / (1 + Math.exp(-logits[s])) - targets[s]);
        }
        d.setInput(Nd4j.create(images, shape, 'c'));
        d.feedForward(false, false);
        float[] expected = Dl4jArrays.rowMajor(d.backpropGradient(Nd4j.create(dLossDLogit, new long[] {n, 1}, 'c'),
                LayerWorkspaceMgr.noWorkspaces()).getSecond());
        d.clear();
        DiffTracker diff = new DiffTracker("gradient graph " + DcganOnnxExporter.GRAD, "DL4J backprop (inference mode)");
        int perSample = grad.length / n;
        IntFunction<String> where = where(shape);
        for (int s = 0; s < n; s++) {
            double scale = 0;
            for (int i = s * perSample; i < (s + 1) * perSample; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            double limit = Math.max(GRADIENT_RELATIVE_TOLERANCE * scale, GRADIENT_ABSOLUTE_FLOOR);
            for (int i = s * perSample; i < (s + 1) * perSample; i++) {
                diff.add(grad[i], expected[i], limit, where.apply(i));
            }
        }
        return diff;
    }

    private static DiffTracker againstFiniteDifferences(float[] grad, float[] images, long[] shape,
                                                        MultiLayerNetwork d, float[] targets, Random random) {
        int n = (int) shape[0];
        int perSample = grad.length / n;
        int[] coordinates = random.ints(0, perSample).distinct()
                .limit(Math.min(FINITE_DIFFERENCE_COORDINATES, perSample)).toArray();
        double[] t = new double[n];
        for (int s = 0; s < n; s++) {
            t[s] = targets[s];
        }
        double[][] reference = new FiniteDifferenceGradient(d).gradient(images, shape, t, coordinates);
        DiffTracker diff = new DiffTracker("gradient graph " + DcganOnnxExporter.GRAD,
                "central differences of DL4J in double, h " + FiniteDifferenceGradient.STEP);
        IntFunction<String> where = where(shape);
        for (int s = 0; s < n; s++) {
            double scale = Arrays.stream(reference[s]).filter(v -> !Double.isNaN(v)).map(Math::abs).max().orElse(0);
            double limit = Math.max(GRADIENT_RELATIVE_TOLERANCE * scale, GRADIENT_ABSOLUTE_FLOOR);
            for (int k = 0; k < coordinates.length; k++) {
                if (Double.isNaN(reference[s][k])) {
                    diff.skip();
                } else {
                    int i = s * perSample + coordinates[k];
                    diff.add(grad[i], reference[s][k], limit, where.apply(i));
                }
            }
        }
        long total = (long) n * coordinates.length;
        if (diff.compared() * 2 < total) {
            // a check that skipped most of its points proves little
            diff.mismatch("only " + diff.compared() + " of " + total + " differences usable, the rest cross kinks");
        }
        return diff;
    }

    private static float[] uniform(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }

    /** "sample s, [c, y, x]" for a flat index into a row-major [N, ...] tensor. */
    static IntFunction<String> where(long[] shape) {
        return index -> {
            long[] at = new long[shape.length];
            long rest = index;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                at[axis] = rest % shape[axis];
                rest /= shape[axis];
            }
            return "sample " + at[0] + ", " + Arrays.toString(Arrays.copyOfRange(at, 1, at.length));
        };
    }
}
