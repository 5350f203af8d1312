package dev.forger.trainer.cli;

import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DiscriminatorBatches;
import dev.forger.trainer.training.IterationBenchmark;
import dev.forger.trainer.training.IterationBenchmark.Variant;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code benchmark}: seconds per GAN iteration, images/s, the arithmetic of an iteration and the rate it was
 * done at, for each batch size and each variant asked for. Several variants run alternately, round after round,
 * so that a shared machine's load falls on all of them alike; the median over rounds is printed last.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Time GAN iterations (median after warm-up) on random data.")
public class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--batch-sizes", split = ",", defaultValue = "64,128", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes;

    @Option(names = "--channels", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--conv-dim", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int convDim;

    @Option(names = "--warmup", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--discriminator-batches", defaultValue = "separate", converter = TrainCommand.BatchesConverter.class,
            description = "The recipe timed, as train's option (default: ${DEFAULT-VALUE}).")
    DiscriminatorBatches discriminatorBatches;

    @Option(names = "--variants", split = ",", defaultValue = "trainer",
            description = "trainer (what train runs), baseline (DL4J's built-in layers and fresh buffers: the trainer "
                    + "before oneDNN helpers and workspaces), helpers-only, workspaces-only. Default: ${DEFAULT-VALUE}.")
    List<String> variants;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Times every variant is run, alternately. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Variant> chosen = variants();
        if (rounds < 1 || iterations < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--rounds and --iterations must be at least 1, --warmup at least 0");
        }
        DcganConfig config = DcganConfig.defaults(channels).withConvDim(convDim).withDiscriminatorBatches(discriminatorBatches);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("DCGAN %dx32x32, convDim %d, %s discriminator batches, %d cores, ND4J %s%n", channels, convDim,
                discriminatorBatches.label(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
        out.println("variant          batch  s/iteration  CPU s/iteration  images/s  GFLOP/iteration  GFLOP/s");
        Map<String, List<IterationBenchmark.Result>> byKey = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int batch : batchSizes) {
                for (Variant variant : chosen) {
                    IterationBenchmark.Result r = IterationBenchmark.run(config, variant, batch, warmup, iterations);
                    print(out, r);
                    byKey.computeIfAbsent(variant.name() + "/" + batch, k -> new ArrayList<>()).add(r);
                }
            }
        }
        if (rounds > 1) {
            out.printf("median of %d rounds%n", rounds);
            byKey.values().forEach(results -> print(out, median(results)));
        }
        return 0;
    }

    private List<Variant> variants() {
        try {
            return variants.stream().map(Variant::named).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--variants: " + e.getMessage());
        }
    }

    private static IterationBenchmark.Result median(List<IterationBenchmark.Result> results) {
        IterationBenchmark.Result[] sorted = results.toArray(IterationBenchmark.Result[]::new);
        Arrays.sort(sorted, (a, b) -> Double.compare(a.secondsPerIteration(), b.secondsPerIteration()));
        return sorted[sorted.length / 2];
    }

    private static void print(PrintWriter out, IterationBenchmark.Result r) {
        out.printf("%-15s  %5d  %11.3f  %15.3f  %8.1f  %15.3f  %7.1f%n", r.variant().name(), r.batchSize(),
                r.secondsPerIteration(), r.cpuSecondsPerIteration(), r.imagesPerSecond(), r.gflopPerIteration(),
                r.gflopPerSecond());
        out.flush();
    }
}
