package dev.forger.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.service.inference.OnnxNetwork;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ONNX Runtime alone on the default bundle, through the service's {@link OnnxNetwork} with its session
 * options (one intra-op thread, as {@code forger.ort.intra-op-threads} defaults): the in-process ceiling
 * that service/bench/run.sh compares the HTTP rates with. Every score is in images per second
 * ({@code @OperationsPerInvocation} = the batch size). Fresh inputs are not drawn per run: ORT's
 * time does not depend on the values, and drawing 6,400 random floats would be measured too.
 * Run from the repository root: {@code benchmarks/run.sh -f 1 -wi 2 -i 3 OrtRate}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OrtRateBenchmark {
    static final int LATENT = 100;
    static final long[] IMAGE = {1, 32, 32};
    static final int IMAGE_SIZE = 32 * 32;

    /** The default bundle's folder, relative to the repository root. */
    @Param("service/src/main/resources/models/mnist-dcgan")
    public String bundle;

    @Param("1")
    public int intraOpThreads;

    private OnnxNetwork generator;
    private OnnxNetwork discriminator;
    private float[] latents;
    private float[] images;

    @Setup
    public void open() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path dir = Path.of(bundle);
        generator = OnnxNetwork.open(env, dir.resolve("generator.onnx"), "z", "image", new long[] {LATENT},
                IMAGE_SIZE, intraOpThreads);
        discriminator = OnnxNetwork.open(env, dir.resolve("discriminator.onnx"), "image", "logit", IMAGE, 1,
                intraOpThreads);
        SplittableRandom random = new SplittableRandom(1);
        latents = new float[64 * LATENT];
        for (int i = 0; i < latents.length; i++) {
            latents[i] = (float) random.nextDouble(-1, 1);
        }
        // real inputs for D: what G makes of those latents
        images = generator.run(latents, 64);
    }

    @TearDown
    public void close() throws Exception {
        generator.close();
        discriminator.close();
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public float[] generatorBatch64() throws Exception {
        return generator.run(latents, 64);
    }

    @Benchmark
    public float[] discriminatorBatch01() throws Exception {
        return discriminator.run(slice(1), 1);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public float[] discriminatorBatch04() throws Exception {
        return discriminator.run(slice(4), 4);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public float[] discriminatorBatch16() throws Exception {
        return discriminator.run(slice(16), 16);
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public float[] discriminatorBatch64() throws Exception {
        return discriminator.run(images, 64);
    }

    /** The first {@code n} images, copied as the batcher packs a batch. */
    private float[] slice(int n) {
        float[] batch = new float[n * IMAGE_SIZE];
        System.arraycopy(images, 0, batch, 0, batch.length);
        return batch;
    }
}
