package dev.forger.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.AttackRunner;
import dev.forger.service.attacks.BatcherAttackModel;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.Norm;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.BatchObserver;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.inference.GradientRunner;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PGD-L∞ (20 steps, random start) over a batch of 64 through the service's path — AttackRunner, the
 * batched AttackModel, the gradient MicroBatcher and GradientRunner — against the raw rate of the gradient
 * graph (GradientRunner.run on the same 64 images) in the same run. Both report image·steps per second:
 * one raw run is 64 image·steps, one attack 64 × 20. The attack also pays the first and final forward
 * scores and the batchers' hand-offs, so the ratio measures everything the Java side adds.
 * Run from the repository root: {@code benchmarks/run.sh -f 1 -wi 2 -i 3 PgdAttack}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PgdAttackBenchmark {
    private static final int BATCH = 64;
    private static final int STEPS = 20;
    private static final ImageShape SHAPE = new ImageShape(1, 32, 32);

    /** The default bundle's folder, relative to the repository root. */
    @Param("service/src/main/resources/models/mnist-dcgan")
    public String bundle;

    private GradientRunner gradientGraph;
    private OnnxNetwork discriminator;
    private MicroBatcher forwardBatcher;
    private MicroBatcher gradientBatcher;
    private AttackModel model;
    private ResolvedAttack pgd;
    private float[] images;
    private float[] items;

    @Setup(Level.Trial)
    public void open() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path dir = Path.of(bundle);
        gradientGraph = GradientRunner.open(env, Files.readAllBytes(dir.resolve("discriminator-grad.onnx")),
                "discriminator-grad.onnx", new long[] {1, 32, 32}, 1);
        discriminator = OnnxNetwork.open(env, dir.resolve("discriminator.onnx"), "image", "logit",
                new long[] {1, 32, 32}, 1, 1);
        BatchingSettings batching = new BatchingSettings(BATCH, Duration.ofMillis(2), 256); // the service's defaults
        forwardBatcher = new MicroBatcher("bench/discriminator", discriminator.inputSize(), 1, batching, discriminator,
                BatchObserver.NONE);
        gradientBatcher = new MicroBatcher("bench/gradient", gradientGraph.inputSize(), gradientGraph.outputSize(),
                batching, gradientGraph, BatchObserver.NONE);
        model = new BatcherAttackModel(SHAPE, forwardBatcher::submit, gradientBatcher::submit);
        pgd = AttackCatalog.resolve(new AttackRequest("pgd", null, Norm.LINF, STEPS, null, true, 1L, Goal.FLIP, false,
                null, null, null, null, null, null), new AttackLimits(1000, 10000, 20));

        SplittableRandom random = new SplittableRandom(1);
        int size = SHAPE.size();
        images = new float[BATCH * size];
        for (int j = 0; j < images.length; j++) {
            images[j] = (float) random.nextDouble(-1, 1);
        }
        items = new float[BATCH * (size + 1)];
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(images, i * size, items, i * (size + 1), size);
            items[i * (size + 1) + size] = i % 2;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        forwardBatcher.close();
        gradientBatcher.close();
        gradientGraph.close();
        discriminator.close();
    }

    /** The gradient graph alone: one ONNX Runtime run on 64 images = 64 image·steps. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] rawGradientGraph() throws Exception {
        return gradientGraph.run(items, BATCH);
    }

    /** One PGD attack on 64 images, 20 steps = 1,280 image·steps. */
    @Benchmark
    @OperationsPerInvocation(BATCH * STEPS)
    public AttackOutcome pgdAttack() {
        return AttackRunner.run(pgd, model, images, BATCH);
    }
}
