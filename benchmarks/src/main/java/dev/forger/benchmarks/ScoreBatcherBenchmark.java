package dev.forger.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.service.inference.BatchObserver;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Single-image scoring as {@code POST /score} does it, minus HTTP: 32 threads (wrk's 32 connections in
 * service/bench/run.sh) each submit one image to the discriminator's {@link MicroBatcher}, with the
 * service's default batching (at most 64 per run, 2 ms delay, queue of 256), and wait for its logit.
 * The score is single-image requests per second: the in-process ceiling of the HTTP score rate.
 * Run from the repository root: {@code benchmarks/run.sh -f 1 -wi 2 -i 3 ScoreBatcher}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScoreBatcherBenchmark {
    /** The default bundle's folder, relative to the repository root. */
    @Param("service/src/main/resources/models/mnist-dcgan")
    public String bundle;

    private OnnxNetwork discriminator;
    private MicroBatcher batcher;
    private float[] image;

    @Setup
    public void open() throws Exception {
        discriminator = OnnxNetwork.open(OrtEnvironment.getEnvironment(),
                Path.of(bundle).resolve("discriminator.onnx"), "image", "logit", OrtRateBenchmark.IMAGE, 1, 1);
        batcher = new MicroBatcher("bench/discriminator", OrtRateBenchmark.IMAGE_SIZE, 1,
                new BatchingSettings(64, Duration.ofMillis(2), 256), discriminator, BatchObserver.NONE);
        SplittableRandom random = new SplittableRandom(2);
        image = new float[OrtRateBenchmark.IMAGE_SIZE];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) random.nextDouble(-1, 1);
        }
    }

    @TearDown
    public void close() throws Exception {
        batcher.close();
        discriminator.close();
    }

    @Benchmark
    @Threads(32)
    public float[] oneImagePerRequest() {
        return batcher.submit(image, 1).join();
    }
}
