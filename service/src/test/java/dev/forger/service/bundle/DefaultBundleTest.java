package dev.forger.service.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.graph.manifest.ManifestValidator;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded default bundle as committed: files match the manifest's checksums, the nets run in ONNX
 * Runtime with the manifest's names and shapes, and the gradient graph agrees with central differences
 * of the discriminator it came with.
 */
class DefaultBundleTest {

    static final Path BUNDLE = Path.of("src/main/resources/models/mnist-dcgan");

    static OrtEnvironment env;
    static BundleManifest manifest;

    @BeforeAll
    static void load() throws Exception {
        env = OrtEnvironment.getEnvironment();
        manifest = ManifestIo.read(BUNDLE.resolve("manifest.json"));
    }

    @Test
    void filesMatchTheManifestsChecksumsAndTheManifestIsComplete() {
        assertThat(ManifestValidator.check(manifest, BUNDLE)).isEmpty();
        assertThat(manifest.name()).isEqualTo("mnist-dcgan");
        assertThat(manifest.training().command()).contains("train --dataset mnist");
        assertThat(manifest.metrics()).containsKeys("frechetDistance", "frechetFloor", "classHistogram");
    }

    @Test
    void generatorMakesImagesInMinusOneToOneFromUniformLatents() throws Exception {
        int n = 4;
        int dim = manifest.latent().dim();
        float[] z = uniform(n * dim, new Random(1));
        try (OrtSession g = session(manifest.generator().file());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), new long[] {n, dim});
             OrtSession.Result result = g.run(Map.of(manifest.generator().input(), input))) {
            OnnxTensor image = (OnnxTensor) result.get(manifest.generator().output()).orElseThrow();
            assertThat(image.getInfo().getShape()).containsExactly(n, 1, 32, 32);
            float[] pixels = image.getFloatBuffer().array();
            for (float p : pixels) {
                assertThat(p).as("tanh output, up to float rounding").isBetween(-1.000001f, 1.000001f);
            }
        }
    }

    @Test
    void gradientGraphAgreesWithCentralDifferencesOfTheDiscriminator() throws Exception {
        float[] x = uniform(32 * 32, new Random(2));
        float target = 0f;
        try (OrtSession d = session(manifest.discriminator().file());
             OrtSession grad = session(manifest.discriminatorGradient().file())) {
            float[] analytic;
            float logitFromGradientGraph;
            try (OnnxTensor image = tensor(x);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {target}), new long[] {1, 1});
                 OrtSession.Result r = grad.run(Map.of("image", image, "target", t))) {
                analytic = ((OnnxTensor) r.get("grad").orElseThrow()).getFloatBuffer().array();
                logitFromGradientGraph = ((OnnxTensor) r.get("logit").orElseThrow()).getFloatBuffer().get(0);
            }
            assertThat(logitFromGradientGraph).isCloseTo(logit(d, x), org.assertj.core.data.Offset.offset(1e-5f));

            // directional derivatives along random unit directions: each moves every pixel a little, so a
            // single ReLU/LeakyReLU kink barely matters and float32 noise stays far below the signal
            double h = 1e-2;
            Random random = new Random(3);
            for (int trial = 0; trial < 5; trial++) {
                float[] v = unitDirection(x.length, random);
                double numeric = (loss(d, x, v, h, target) - loss(d, x, v, -h, target)) / (2 * h);
                double projected = 0;
                for (int i = 0; i < x.length; i++) {
                    projected += analytic[i] * v[i];
                }
                assertThat(projected).as("directional derivative %d", trial)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(0.02 * Math.abs(numeric) + 1e-4));
            }
        }
    }

    private static float[] unitDirection(int n, Random random) {
        float[] v = new float[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static double loss(OrtSession d, float[] x, float[] direction, double step, float target) throws Exception {
        float[] moved = x.clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] += (float) (step * direction[i]);
        }
        double l = logit(d, moved);
        return Math.max(l, 0) - l * target + Math.log1p(Math.exp(-Math.abs(l)));
    }

    private static float logit(OrtSession d, float[] x) throws Exception {
        try (OnnxTensor image = tensor(x);
             OrtSession.Result r = d.run(Map.of(manifest.discriminator().input(), image))) {
            return ((OnnxTensor) r.get(manifest.discriminator().output()).orElseThrow()).getFloatBuffer().get(0);
        }
    }

    private static OnnxTensor tensor(float[] x) throws Exception {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, 32, 32});
    }

    private static OrtSession session(String file) throws Exception {
        return env.createSession(BUNDLE.resolve(file).toString(), new OrtSession.SessionOptions());
    }

    private static float[] uniform(int n, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }
}
