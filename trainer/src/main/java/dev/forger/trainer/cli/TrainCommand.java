package dev.forger.trainer.cli;

import dev.forger.trainer.Seeds;
import dev.forger.trainer.data.DatasetException;
import dev.forger.trainer.data.Datasets;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DiscriminatorBatches;
import dev.forger.trainer.report.HeldOutImages;
import dev.forger.trainer.report.RunDirectory;
import dev.forger.trainer.report.RunInfo;
import dev.forger.trainer.training.GanTrainer;
import dev.forger.trainer.training.TrainingPlan;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains the DCGAN into a run directory, or continues one with {@code --resume}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the DCGAN; writes checkpoints, sample grids, metrics.csv, curves.png and run.json to --out.")
public class TrainCommand implements Callable<Integer> {

    /** The training split hold-out when --held-out is not given: up to 2,000 images, at most a fifth of the data. */
    static final int DEFAULT_HELD_OUT = 2000;

    private static final ObjectMapper CONFIG_AS_MAP = new ObjectMapper();

    @Mixin
    PreviewCommand.DatasetOptions dataset = new PreviewCommand.DatasetOptions();

    @Option(names = "--out", required = true, description = "Run directory (created if missing).")
    Path out;

    @Option(names = "--epochs", defaultValue = "30", description = "Total epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out.")
    boolean resume;

    @Option(names = "--force", description = "If --out already holds a run, move it aside (to OUT.replaced-<time>) "
            + "and start a new one; without it such an --out is refused.")
    boolean force;

    @Option(names = "--conv-dim", defaultValue = "32", description = "Width of the first conv layer (default: ${DEFAULT-VALUE}).")
    int convDim;

    @Option(names = "--learning-rate", defaultValue = "0.0002", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--batch-norm", defaultValue = "true", arity = "1",
            description = "BatchNorm on hidden layers, true or false (default: ${DEFAULT-VALUE}).")
    boolean batchNorm;

    @Option(names = "--discriminator-batches", defaultValue = "separate", converter = BatchesConverter.class,
            description = "What one discriminator pass holds in training: separate (an all-real and an all-fake batch, "
                    + "each with its own BatchNorm statistics: the DCGAN paper's recipe) or mixed (real and fake in one "
                    + "batch, so D learns what it computes when served) (default: ${DEFAULT-VALUE}).")
    DiscriminatorBatches discriminatorBatches;

    @Option(names = "--served-discriminator-steps", defaultValue = "0",
            description = "After the last epoch, fold D's BatchNorm into its convolutions and train it this many more "
                    + "steps on single images against the final generator: the discriminator the bundle serves then "
                    + "computes what it learned; 0 serves the GAN's discriminator as it is (default: ${DEFAULT-VALUE}).")
    int servedDiscriminatorSteps;

    @Option(names = "--held-out", description = "Images held out of training for the quality metric "
            + "(default: min(" + DEFAULT_HELD_OUT + ", a fifth of the data)).")
    Integer heldOut;

    @Option(names = "--quality-every", defaultValue = "5",
            description = "Measure sample quality every N epochs and after the last; 0 = never (default: ${DEFAULT-VALUE}).")
    int qualityEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "5",
            description = "Keep the newest N epoch checkpoints; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ImageSet all;
        TrainingPlan plan;
        try {
            all = Datasets.load(dataset.toSpec());
            DcganConfig config = DcganConfig.defaults(all.channels())
                    .withConvDim(convDim).withBatchNorm(batchNorm).withLearningRate(learningRate)
                    .withDiscriminatorBatches(discriminatorBatches);
            plan = new TrainingPlan(config, epochs, batchSize, dataset.seed, qualityEvery, keepCheckpoints,
                    servedDiscriminatorSteps);
        } catch (DatasetException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return PreviewCommand.EXIT_BAD_DATA;
        }
        int holdOut = heldOut != null ? heldOut : Math.min(DEFAULT_HELD_OUT, all.size() / 5);
        if (holdOut < 0 || holdOut >= all.size()) {
            err.println("error: --held-out must lie in [0, " + all.size() + "), got " + holdOut);
            return PreviewCommand.EXIT_BAD_DATA;
        }
        ImageSet.Split split = all.split(holdOut, Seeds.derive(dataset.seed, Seeds.HELD_OUT_SPLIT));

        if (resume && force) {
            err.println("error: --resume continues the run in --out, --force replaces it: give one of them");
            return PreviewCommand.EXIT_BAD_DATA;
        }
        List<String> existing = RunDirectory.runFilesIn(out);
        if (!resume && !existing.isEmpty()) {
            if (!force) {
                err.println("error: " + out + " already holds a run (" + String.join(", ", existing) + "); add --resume"
                        + " to continue it, or --force to move it aside to " + out.getFileName() + ".replaced-<time>"
                        + " and start a new run there");
                return PreviewCommand.EXIT_BAD_DATA;
            }
            Path aside = RunDirectory.moveAside(out, LocalDateTime.now());
            err.println("moved the previous run in " + out + " aside to " + aside);
        }
        Files.createDirectories(out);
        PrintStream log = System.out;
        log.println(describeData(all, split, dataset.limit));
        if (!resume) {
            String[] args = spec.commandLine().getParseResult().originalArgs().toArray(String[]::new);
            RunInfo.write(out.resolve(RunInfo.FILE_NAME), RunInfo.capture("java -jar trainer/target/dcgan-trainer.jar", args,
                    hyperparameters(plan, holdOut), all.source(), dataset.seed));
        }
        if (!resume || !HeldOutImages.existIn(out)) {
            HeldOutImages.write(out, split.heldOut(), split.heldOutIndices());
        }
        try {
            new GanTrainer(plan, out, log).train(split.train(), split.heldOut(), resume);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return PreviewCommand.EXIT_BAD_DATA;
        }
        log.println("done: " + out.toAbsolutePath());
        return 0;
    }

    static class BatchesConverter implements CommandLine.ITypeConverter<DiscriminatorBatches> {
        @Override
        public DiscriminatorBatches convert(String value) {
            return DiscriminatorBatches.parse(value);
        }
    }

    /** "10000 images from X: 8000 for training, 2000 held out", naming --limit when it cut the data. */
    static String describeData(ImageSet all, ImageSet.Split split, int limit) {
        String limited = limit > 0 ? " (the first " + all.size() + ", --limit " + limit + ")" : "";
        return String.format(Locale.ROOT, "data: %d images from %s%s: %d for training, %d held out (--held-out; "
                        + "never trained on, for the quality metric and the export's measurements)",
                all.size(), all.source(), limited, split.train().size(), split.heldOut().size());
    }

    private static Map<String, Object> hyperparameters(TrainingPlan plan, int heldOut) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("epochs", plan.epochs());
        map.put("batchSize", plan.batchSize());
        map.put("seed", plan.seed());
        map.put("latent", "uniform[-1,1]");
        // every DcganConfig field under its own name, as the exporter records a checkpoint's settings
        map.putAll(CONFIG_AS_MAP.convertValue(plan.config(), new TypeReference<Map<String, Object>>() { }));
        map.put("heldOut", heldOut);
        map.put("qualityEvery", plan.qualityEvery());
        map.put("servedDiscriminatorSteps", plan.servedDiscriminatorSteps());
        return map;
    }
}
