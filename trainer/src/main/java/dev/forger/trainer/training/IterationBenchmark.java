package dev.forger.trainer.training;

import com.sun.management.OperatingSystemMXBean;
import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import dev.forger.trainer.nets.DiscriminatorBatches;
import dev.forger.trainer.nets.NetFlops;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times full GAN iterations (D on real + fake, then G through D) on random data, after a warm-up.
 * A measurement, not a test: the {@code benchmark} command prints it, and the README records it.
 *
 * <p>Each {@link Variant} is one way of running the same iteration; {@link #run} builds fresh nets for it, so
 * variants can be timed alternately in one process (the machine is shared: only ratios taken in one run mean
 * something).
 */
public final class IterationBenchmark {

    /**
     * How an iteration runs; all variants compute the same thing.
     *
     * @param layerHelpers DL4J's oneDNN layer helpers (convolution, BatchNorm) instead of its Java-side im2col
     * @param memory       where activations live
     */
    public record Variant(String name, boolean layerHelpers, WorkspacePass.Memory memory) {

        /** What {@code train} runs. */
        public static final Variant TRAINER = new Variant("trainer", true, WorkspacePass.Memory.WORKSPACE);
        /** What the trainer ran before: DL4J's built-in layers, a fresh buffer for every activation. */
        public static final Variant BASELINE = new Variant("baseline", false, WorkspacePass.Memory.DETACHED);
        public static final Variant HELPERS_ONLY = new Variant("helpers-only", true, WorkspacePass.Memory.DETACHED);
        public static final Variant WORKSPACES_ONLY = new Variant("workspaces-only", false, WorkspacePass.Memory.WORKSPACE);
        public static final Variant[] ALL = {TRAINER, BASELINE, HELPERS_ONLY, WORKSPACES_ONLY};

        public static Variant named(String name) {
            return Arrays.stream(ALL).filter(v -> v.name.equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + name + "'; choose from "
                            + String.join(", ", Arrays.stream(ALL).map(Variant::name).toList())));
        }
    }

    /**
     * @param secondsPerIteration median wall time of one iteration
     * @param cpuSecondsPerIteration the process's CPU time (all threads, native ones included) per timed
     *                               iteration, on average: steadier than wall time on a loaded machine, but it
     *                               also counts OpenMP threads spinning while they wait
     * @param gflopPerIteration   the convolutions' and dense layers' arithmetic of one iteration ({@link #flopsPerIteration})
     */
    public record Result(Variant variant, int batchSize, int iterations, double secondsPerIteration,
                         double cpuSecondsPerIteration, double imagesPerSecond, double gflopPerIteration) {

        public double gflopPerSecond() {
            return gflopPerIteration / secondsPerIteration;
        }
    }

    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private IterationBenchmark() {
    }

    public static Result run(DcganConfig config, int batchSize, int warmup, int iterations) {
        return run(config, Variant.TRAINER, batchSize, warmup, iterations);
    }

    public static Result run(DcganConfig config, Variant variant, int batchSize, int warmup, int iterations) {
        MultiLayerNetwork g = withLayerHelpers(variant.layerHelpers(), () -> DcganNets.generator(config, 1));
        MultiLayerNetwork d = withLayerHelpers(variant.layerHelpers(), () -> DcganNets.discriminator(config, 2));
        GanStep step = new GanStep(g, d, config.discriminatorBatches(), variant.memory());
        LatentSampler latents = new LatentSampler(3, config.zDim());
        Random random = new Random(4);
        float[] pixels = new float[batchSize * config.channels() * config.imageSize() * config.imageSize()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        INDArray real = Nd4j.create(pixels, new long[] {batchSize, config.channels(), config.imageSize(), config.imageSize()}, 'c');
        double[] seconds = new double[iterations];
        long cpuStart = 0;
        for (int i = 0; i < warmup + iterations; i++) {
            if (i == warmup) {
                cpuStart = PROCESS.getProcessCpuTime();
            }
            long start = System.nanoTime();
            step.run(real, latents.next(batchSize), latents.next(batchSize), i, 1);
            if (i >= warmup) {
                seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
            }
        }
        double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9 / iterations;
        Arrays.sort(seconds);
        double median = seconds[iterations / 2];
        return new Result(variant, batchSize, iterations, median, cpuSeconds, batchSize / median,
                flopsPerIteration(config, g, d) * batchSize / 1e9);
    }

    /**
     * FLOPs per image of one iteration, a backward pass counted as twice its forward (input and weight gradients):
     * G forward for D's fakes and for its own step, and G's backward (4 G forwards); D forward and backward on the
     * real batch, the fake batch and G's batch (3 × 3 D forwards), or with {@link DiscriminatorBatches#MIXED} on
     * real + fake in D's step and again in G's (4 × 3). Counts convolutions and dense layers only ({@link NetFlops}).
     */
    static double flopsPerIteration(DcganConfig config, MultiLayerNetwork g, MultiLayerNetwork d) {
        long dForward = NetFlops.forwardPerImage(d, InputType.convolutional(config.imageSize(), config.imageSize(), config.channels()));
        long gForward = NetFlops.forwardPerImage(g, InputType.feedForward(config.zDim()));
        int dPasses = config.discriminatorBatches() == DiscriminatorBatches.MIXED ? 4 : 3;
        return 3.0 * dPasses * dForward + 4.0 * gForward;
    }

    /** Builds with DL4J's layer helpers on or off: DL4J decides when a layer is created. */
    private static <T> T withLayerHelpers(boolean on, Supplier<T> build) {
        String before = System.getProperty(NativeBackend.HELPERS_DISABLED_PROPERTY);
        System.setProperty(NativeBackend.HELPERS_DISABLED_PROPERTY, String.valueOf(!on));
        try {
            return build.get();
        } finally {
            if (before == null) {
                System.clearProperty(NativeBackend.HELPERS_DISABLED_PROPERTY);
            } else {
                System.setProperty(NativeBackend.HELPERS_DISABLED_PROPERTY, before);
            }
        }
    }
}
