package dev.forger.service.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.graph.manifest.BundleManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentSamplerTest {
    static final BundleManifest.Latent UNIFORM = BundleManifest.Latent.uniform(100, -1, 1);
    static final BundleManifest.Latent NORMAL = BundleManifest.Latent.normal(16, 0.5, 2);

    @Test
    void vectorIDependsOnlyOnSeedAndI() {
        for (BundleManifest.Latent latent : new BundleManifest.Latent[] {UNIFORM, NORMAL}) {
            int d = latent.dim();
            float[] whole = LatentSampler.sample(latent, 42, 0, 300);
            for (long first : new long[] {0, 1, 63, 64, 200, 299}) {
                int n = (int) Math.min(37, 300 - first);
                float[] slice = LatentSampler.sample(latent, 42, first, n);
                assertThat(slice).containsExactly(Arrays.copyOfRange(whole, (int) first * d, (int) (first + n) * d));
            }
            assertThat(LatentSampler.sample(latent, 43, 0, 3)).isNotEqualTo(LatentSampler.sample(latent, 42, 0, 3));
        }
    }

    @Test
    void uniformLatentsAreSplittableRandomsSequence() {
        // seeds kept their images when vectors became random-access
        for (long seed : new long[] {0, 7, -1, Long.MIN_VALUE, 123456789012345L}) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] z = LatentSampler.sample(UNIFORM, seed, 5);
            for (float v : z) {
                assertThat(v).isEqualTo((float) (-1 + 2 * random.nextDouble()));
            }
        }
    }

    @Test
    void valuesFollowTheManifestsDistribution() {
        float[] u = LatentSampler.sample(UNIFORM, 1, 0, 2000);
        float[] g = LatentSampler.sample(NORMAL, 1, 0, 12_500);
        for (float v : u) {
            assertThat(v).isBetween(-1f, 1f);
        }
        assertThat(mean(u)).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
        double mean = mean(g);
        double var = 0;
        for (float v : g) {
            var += (v - mean) * (v - mean);
        }
        assertThat(mean).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.02));
        assertThat(Math.sqrt(var / g.length)).isCloseTo(2, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void theDocumentedPythonScriptReproducesTheVectorsBitForBit(@TempDir Path tmp) throws Exception {
        Path script = repository().resolve("docs/generation/latents.py");
        for (BundleManifest.Latent latent : new BundleManifest.Latent[] {UNIFORM, NORMAL}) {
            Path out = tmp.resolve(latent.distribution() + ".f32");
            String[] distribution = latent == UNIFORM ? new String[] {"--uniform", "-1", "1"}
                    : new String[] {"--normal", "0.5", "2"};
            Process p = new ProcessBuilder(concat(new String[] {"python3", script.toString(), "--seed", "-5",
                    "--index", "1000003", "--count", "3", "--dim", Integer.toString(latent.dim()), "--out",
                    out.toString()}, distribution)).inheritIO().start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            float[] python = new float[3 * latent.dim()];
            ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(python);
            float[] java = LatentSampler.sample(latent, -5, 1_000_003, 3);
            if (latent == UNIFORM) {
                assertThat(python).containsExactly(java);
            } else {
                // Box-Muller's log and cos: Python's libm and Java's StrictMath may differ in the last place
                for (int i = 0; i < java.length; i++) {
                    assertThat(python[i]).isCloseTo(java[i], org.assertj.core.data.Offset.offset(Math.ulp(java[i]) * 2));
                }
            }
        }
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs/generation/latents.py"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
