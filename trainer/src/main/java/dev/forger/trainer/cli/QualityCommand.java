package dev.forger.trainer.cli;

import dev.forger.trainer.Seeds;
import dev.forger.trainer.quality.QualityEvaluator;
import dev.forger.trainer.quality.QualityReport;
import dev.forger.trainer.training.Checkpoint;
import dev.forger.trainer.training.LatentSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quality}: a checkpoint's generator measured with a saved quality evaluator — the run's own or another run's,
 * of any extractor version. Fréchet distances of different extractors do not compare, so a new model is measured
 * with the extractor its predecessor reported with (the default bundle's {@code docs/mnist-dcgan/quality}).
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Fréchet distance and class coverage of a checkpoint's generator, measured with a saved quality "
                + "evaluator (a run's quality/ folder, any extractor version) against the held-out statistics saved "
                + "with it.")
public class QualityCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true,
            description = "A run directory (its newest checkpoint) or one checkpoints/epoch-NNNN folder.")
    Path checkpoint;

    @Option(names = "--extractor", required = true,
            description = "A saved quality evaluator: a folder with quality.json and digit-classifier.zip (a run's "
                    + "quality/ folder, or docs/mnist-dcgan/quality).")
    Path extractor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Checkpoint loaded;
        QualityEvaluator evaluator;
        try {
            loaded = Checkpoint.load(checkpoint);
            evaluator = QualityEvaluator.loadReference(extractor);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return PreviewCommand.EXIT_BAD_DATA;
        }
        var config = loaded.state().config();
        int n = evaluator.sampleCount();
        // the run's own quality latents: with the run's own evaluator this repeats the training's measurement exactly
        INDArray z = new LatentSampler(Seeds.derive(loaded.state().seed(), Seeds.QUALITY_LATENTS), config.zDim()).next(n);
        float[] samples = loaded.generator().output(z, false).dup('c').data().asFloat();
        QualityReport report;
        try {
            report = evaluator.evaluate(samples, n);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + extractor + " does not fit this generator: " + e.getMessage());
            return PreviewCommand.EXIT_BAD_DATA;
        }
        String histogram = Arrays.stream(report.classHistogram()).mapToObj(Integer::toString)
                .collect(Collectors.joining(" "));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "epoch %d of %s, measured with %s from %s:%n"
                        + "  Fréchet distance %.3f (floor %.3f; %d samples against the held-out statistics saved there,"
                        + " held-out sha256 %s)%n"
                        + "  %d classes covered, histogram %s%n",
                loaded.state().epoch(), checkpoint, evaluator.featureExtractor(), extractor, report.frechetDistance(),
                evaluator.floor(), n, evaluator.heldOutSha256(), report.classesCovered(), histogram);
        return 0;
    }
}
