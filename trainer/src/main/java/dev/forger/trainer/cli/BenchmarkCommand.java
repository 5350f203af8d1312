package dev.forger.trainer.cli;

import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.training.IterationBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code benchmark}: seconds per GAN iteration and images/s at the given batch sizes. */
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DcganConfig config = DcganConfig.defaults(channels).withConvDim(convDim);
        var out = spec.commandLine().getOut();
        out.printf("DCGAN %dx32x32, convDim %d, %d cores, ND4J %s%n", channels, convDim,
                Runtime.getRuntime().availableProcessors(), System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
        out.println("batch  s/iteration  images/s");
        for (int batch : batchSizes) {
            IterationBenchmark.Result r = IterationBenchmark.run(config, batch, warmup, iterations);
            out.printf("%5d  %11.3f  %8.1f%n", r.batchSize(), r.secondsPerIteration(), r.imagesPerSecond());
            out.flush();
        }
        return 0;
    }
}
