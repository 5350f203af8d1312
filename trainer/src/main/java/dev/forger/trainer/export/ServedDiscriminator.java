package dev.forger.trainer.export;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.training.LatentSampler;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the served discriminator says about held-out real images and about the served generator's images, measured
 * at export time exactly as the service computes it: the written {@code generator.onnx} and
 * {@code discriminator.onnx} in ONNX Runtime, one verdict per image (a batch's images do not influence each other in
 * inference mode).
 *
 * <p>P(real) = sigmoid(logit); an image is called real when P(real) ≥ 0.5. Balanced accuracy is the mean of the
 * share of real images called real and the share of generated images called fake; the ROC AUC is the probability
 * that a random real image gets a higher P(real) than a random generated one (ties count half), from ranks
 * (Mann–Whitney U).
 *
 * @param heldOutImages          real images scored (the run's held-out set, never trained on)
 * @param heldOutSha256          {@link ImageSet#sha256()} of those images
 * @param generatedImages        generated images scored, as many as real ones
 * @param latentSeed             seed of the {@link LatentSampler} that drew their latents
 * @param meanRealProbabilityOfReal      mean P(real) over the real images
 * @param meanRealProbabilityOfGenerated mean P(real) over the generated images
 * @param realCalledReal         share of real images with P(real) ≥ 0.5
 * @param generatedCalledFake    share of generated images with P(real) &lt; 0.5
 * @param balancedAccuracy       (realCalledReal + generatedCalledFake) / 2
 * @param rocAuc                 area under the ROC curve, real vs generated
 * @param measuredWith           the runtime and files, in words
 */
public record ServedDiscriminator(int heldOutImages, String heldOutSha256, int generatedImages, long latentSeed,
                                  double meanRealProbabilityOfReal, double meanRealProbabilityOfGenerated,
                                  double realCalledReal, double generatedCalledFake, double balancedAccuracy,
                                  double rocAuc, String measuredWith) {

    public static final double THRESHOLD = 0.5;
    private static final int BATCH = 250;

    /**
     * Scores {@code heldOut} and as many images of the generator, from latents of {@code latentSeed}.
     *
     * @param zDim the generator's latent size
     */
    static ServedDiscriminator measure(Path generatorFile, Path discriminatorFile, ImageSet heldOut, int zDim,
                                       long latentSeed) throws OrtException {
        int n = heldOut.size();
        if (n == 0) {
            throw new IllegalArgumentException("no held-out images to measure the served discriminator on");
        }
        double[] real = new double[n];
        double[] generated = new double[n];
        long[] imageShape = {0, heldOut.channels(), heldOut.height(), heldOut.width()};
        LatentSampler latents = new LatentSampler(latentSeed, zDim);
        try (OrtModel g = OrtModel.open(generatorFile); OrtModel d = OrtModel.open(discriminatorFile)) {
            for (int from = 0; from < n; from += BATCH) {
                int b = Math.min(BATCH, n - from);
                int[] indices = new int[b];
                int start = from;
                Arrays.setAll(indices, i -> start + i);
                imageShape[0] = b;
                float[] pixels = heldOut.batch(indices, new float[b * heldOut.imageSize()]);
                copyProbabilities(d, new OrtModel.Tensor(pixels, imageShape.clone()), real, from);
                OrtModel.Tensor images = g.run(Map.of(DcganOnnxExporter.LATENT, new OrtModel.Tensor(latents.nextFloats(b),
                        new long[] {b, zDim}))).get(DcganOnnxExporter.IMAGE);
                copyProbabilities(d, images, generated, from);
            }
        }
        double realCalledReal = Arrays.stream(real).filter(p -> p >= THRESHOLD).count() / (double) n;
        double generatedCalledFake = Arrays.stream(generated).filter(p -> p < THRESHOLD).count() / (double) n;
        return new ServedDiscriminator(n, heldOut.sha256(), n, latentSeed, mean(real), mean(generated), realCalledReal,
                generatedCalledFake, (realCalledReal + generatedCalledFake) / 2, rocAuc(real, generated),
                "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + ": " + discriminatorFile.getFileName()
                        + " on held-out real images and on " + generatorFile.getFileName() + "'s images, at export");
    }

    private static void copyProbabilities(OrtModel d, OrtModel.Tensor images, double[] into, int from)
            throws OrtException {
        float[] logits = d.run(Map.of(DcganOnnxExporter.IMAGE, images)).get(DcganOnnxExporter.LOGIT).data();
        for (int i = 0; i < logits.length; i++) {
            into[from + i] = sigmoid(logits[i]);
        }
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** P(score of a positive &gt; score of a negative) + ½ P(equal), from average ranks of the pooled scores. */
    static double rocAuc(double[] positives, double[] negatives) {
        int n = positives.length + negatives.length;
        double[] scores = new double[n];
        System.arraycopy(positives, 0, scores, 0, positives.length);
        System.arraycopy(negatives, 0, scores, positives.length, negatives.length);
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;   // 1-based ranks, ties share their average
            for (int k = start; k <= end; k++) {
                if (order[k] < positives.length) {
                    positiveRankSum += averageRank;
                }
            }
            start = end + 1;
        }
        double p = positives.length;
        return (positiveRankSum - p * (p + 1) / 2) / (p * negatives.length);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The manifest's {@code metrics.servedDiscriminator}. */
    Map<String, Object> toManifest() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("meanRealProbabilityOfHeldOutReal", meanRealProbabilityOfReal);
        map.put("meanRealProbabilityOfGenerated", meanRealProbabilityOfGenerated);
        map.put("rocAuc", rocAuc);
        map.put("balancedAccuracy", balancedAccuracy);
        map.put("threshold", THRESHOLD);
        map.put("heldOutRealCalledReal", realCalledReal);
        map.put("generatedCalledFake", generatedCalledFake);
        map.put("heldOutImages", heldOutImages);
        map.put("heldOutSha256", heldOutSha256);
        map.put("generatedImages", generatedImages);
        map.put("generatedLatentSeed", latentSeed);
        map.put("measuredWith", measuredWith);
        return map;
    }

    /** One line for the export's output. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "served discriminator (ONNX Runtime): mean P(real) %.3f on %d held-out"
                        + " real images, %.3f on %d generated; ROC AUC %.3f; balanced accuracy at %.1f %.3f (real called"
                        + " real %.1f%%, generated called fake %.1f%%)", meanRealProbabilityOfReal, heldOutImages,
                meanRealProbabilityOfGenerated, generatedImages, rocAuc, THRESHOLD, balancedAccuracy,
                100 * realCalledReal, 100 * generatedCalledFake);
    }
}
