package dev.forger.trainer.training;

import dev.forger.trainer.Seeds;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import dev.forger.trainer.quality.QualityEvaluator;
import dev.forger.trainer.quality.QualityReport;
import dev.forger.trainer.report.CurvesPlot;
import dev.forger.trainer.report.ImageGrid;
import dev.forger.trainer.report.MetricsCsv;
import dev.forger.trainer.report.TrainingProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the DCGAN epoch by epoch and keeps the run directory up to date after each one:
 * {@code checkpoints/}, {@code samples/epoch-NNNN.png} (fixed latents), {@code metrics.csv}, {@code curves.png},
 * and {@code quality/} (the feature extractor of the quality metric).
 */
public final class GanTrainer {

    public static final String SAMPLES = "samples";
    public static final String METRICS = "metrics.csv";
    public static final String CURVES = "curves.png";
    public static final String QUALITY = "quality";

    private final TrainingPlan plan;
    private final Path runDir;
    private final PrintStream log;

    public GanTrainer(TrainingPlan plan, Path runDir, PrintStream log) {
        this.plan = plan;
        this.runDir = runDir;
        this.log = log;
    }

    /**
     * Trains from scratch, or from the newest checkpoint in the run directory when {@code resume} is set,
     * up to {@link TrainingPlan#epochs()}.
     *
     * @param train   training images
     * @param heldOut images never trained on, for the quality metric; may be empty
     * @return the metrics of every epoch of the run, including resumed ones
     */
    public List<EpochMetrics> train(ImageSet train, ImageSet heldOut, boolean resume) throws IOException {
        DcganConfig config = plan.config();
        checkData(train, config);
        Files.createDirectories(runDir.resolve(SAMPLES));

        Checkpoint start = resume ? resumeFrom() : fresh(config);
        List<EpochMetrics> history = new ArrayList<>(resume ? metricsUpTo(start.state().epoch()) : List.of());
        QualityEvaluator quality = qualityEvaluator(train, heldOut);
        MultiLayerNetwork g = start.generator();
        MultiLayerNetwork d = start.discriminator();
        GanStep step = new GanStep(g, d, config.discriminatorBatches());
        INDArray gridLatents = new LatentSampler(plan.streamSeed(Seeds.GRID_LATENTS), config.zDim()).next(TrainingPlan.GRID_SAMPLES);

        int iteration = start.state().iteration();
        int stepsPerEpoch = train.size() / plan.batchSize();
        float[] realBuffer = new float[plan.batchSize() * train.imageSize()];
        long[] realShape = {plan.batchSize(), train.channels(), train.height(), train.width()};
        for (int epoch = start.state().epoch() + 1; epoch <= plan.epochs(); epoch++) {
            int[] order = ImageSet.permutation(train.size(), plan.dataOrderSeed(epoch));
            LatentSampler latents = new LatentSampler(plan.latentSeed(epoch), config.zDim());
            RunningMeans means = new RunningMeans();
            long started = System.nanoTime();
            try (TrainingProgress progress = TrainingProgress.start(
                    "epoch " + epoch + "/" + plan.epochs(), stepsPerEpoch, log)) {
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int[] indices = Arrays.copyOfRange(order, s * plan.batchSize(), (s + 1) * plan.batchSize());
                    INDArray real = Nd4j.create(train.batch(indices, realBuffer), realShape, 'c');
                    GanStep.Stats stats = step.run(real, latents.next(plan.batchSize()),
                            latents.next(plan.batchSize()), iteration++, epoch);
                    if (!Double.isFinite(stats.dLoss()) || !Double.isFinite(stats.gLoss())) {
                        throw new IllegalStateException("epoch " + epoch + ", iteration " + (iteration - 1)
                                + ": D loss " + stats.dLoss() + ", G loss " + stats.gLoss() + " (training diverged);"
                                + " resume from an earlier checkpoint with a lower --learning-rate");
                    }
                    means.add(stats);
                    progress.step(means.describe());
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            writeGrid(g, gridLatents, train, epoch);
            QualityReport report = plan.measuresQualityAfter(epoch) && quality != null
                    ? measure(g, quality, epoch, means.describe()) : null;
            EpochMetrics metrics = means.toMetrics(epoch, seconds, stepsPerEpoch * plan.batchSize() / seconds,
                    report, quality);
            history.add(metrics);
            log.println(summary(metrics));
            MetricsCsv.write(runDir.resolve(METRICS), history);
            CurvesPlot.writePng(history, runDir.resolve(CURVES));
            Checkpoint.State state = new Checkpoint.State(epoch, iteration, plan.batchSize(), plan.seed(), Seeds.SCHEME,
                    config);
            MultiLayerNetwork served = epoch == plan.epochs() ? servedDiscriminator(g, d, train) : null;
            new Checkpoint(g, d, served == null ? state : state.withServedDiscriminatorSteps(plan.servedDiscriminatorSteps()),
                    served).save(runDir);
            Checkpoint.prune(runDir, plan.keepCheckpoints());
        }
        if (resume && start.state().epoch() == plan.epochs() && start.servedDiscriminator() == null) {
            // a finished run resumed with --served-discriminator-steps: add the discriminator to serve
            MultiLayerNetwork served = servedDiscriminator(g, d, train);
            if (served != null) {
                new Checkpoint(g, d, start.state().withServedDiscriminatorSteps(plan.servedDiscriminatorSteps()), served)
                        .save(runDir);
            }
        }
        return history;
    }

    /** The discriminator the bundle will serve, made after the last epoch, or null to serve the GAN's own. */
    private MultiLayerNetwork servedDiscriminator(MultiLayerNetwork g, MultiLayerNetwork d, ImageSet train) {
        if (plan.servedDiscriminatorSteps() == 0) {
            return null;
        }
        if (!plan.config().batchNorm()) {
            log.println("served discriminator: the GAN's own (without BatchNorm it computes the same in both modes)");
            return null;
        }
        ServedDiscriminatorTraining.Result result = ServedDiscriminatorTraining.train(g, d, plan.config(), train,
                plan.servedDiscriminatorSteps(), plan.batchSize(), plan.seed(), log);
        log.printf(Locale.ROOT, "served discriminator: BatchNorm folded, %d steps on single images; mean P(real) over the"
                        + " last steps %.3f on real training images, %.3f on generated ones%n",
                plan.servedDiscriminatorSteps(), result.meanRealProbability(), result.meanFakeProbability());
        return result.discriminator();
    }

    private void checkData(ImageSet train, DcganConfig config) {
        if (train.channels() != config.channels() || train.height() != config.imageSize()
                || train.width() != config.imageSize()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the data is %dx%dx%d but the nets expect %dx%dx%d", train.channels(), train.height(),
                    train.width(), config.channels(), config.imageSize(), config.imageSize()));
        }
        if (train.size() < plan.batchSize()) {
            throw new IllegalArgumentException("only " + train.size() + " training images for a batch of "
                    + plan.batchSize() + ": lower --batch-size or add data");
        }
    }

    private Checkpoint fresh(DcganConfig config) {
        return new Checkpoint(DcganNets.generator(config, plan.streamSeed(Seeds.GENERATOR_INIT)),
                DcganNets.discriminator(config, plan.streamSeed(Seeds.DISCRIMINATOR_INIT)),
                new Checkpoint.State(0, 0, plan.batchSize(), plan.seed(), Seeds.SCHEME, config));
    }

    private Checkpoint resumeFrom() throws IOException {
        if (Checkpoint.latest(runDir).isEmpty()) {
            throw new IllegalArgumentException(runDir + ": nothing to resume, no checkpoint in "
                    + runDir.resolve(Checkpoint.DIRECTORY) + " (drop --resume to start a new run)");
        }
        Checkpoint checkpoint = Checkpoint.load(runDir);
        Checkpoint.State state = checkpoint.state();
        if (!state.config().equals(plan.config()) || state.batchSize() != plan.batchSize() || state.seed() != plan.seed()) {
            throw new IllegalArgumentException("--resume must use the run's own settings: the checkpoint has "
                    + state.config() + ", batch " + state.batchSize() + ", seed " + state.seed());
        }
        if (state.randomStreams() == null || state.randomStreams() != Seeds.SCHEME) {
            throw new IllegalArgumentException(runDir + ": the checkpoint was written by a trainer that derived its "
                    + "random streams differently (scheme " + state.randomStreams() + ", this build has " + Seeds.SCHEME
                    + "); resuming would not continue its path. Start a new run, or export the checkpoint as it is");
        }
        log.println("resuming after epoch " + state.epoch() + " (iteration " + state.iteration() + ")");
        return checkpoint;
    }

    private List<EpochMetrics> metricsUpTo(int epoch) throws IOException {
        Path file = runDir.resolve(METRICS);
        if (!Files.exists(file)) {
            return List.of();
        }
        return MetricsCsv.read(file).stream().filter(m -> m.epoch() <= epoch).toList();
    }

    private QualityEvaluator qualityEvaluator(ImageSet train, ImageSet heldOut) throws IOException {
        String off = plan.qualityEvery() == 0 ? "--quality-every 0"
                : heldOut.size() == 0 ? "no images are held out (--held-out 0)"
                : !train.hasLabels() ? "the training images have no labels, and its digit classifier trains on them"
                : null;
        if (off != null) {
            log.println("quality: off (" + off + ")");
            return null;
        }
        Path dir = runDir.resolve(QUALITY);
        if (Files.isDirectory(dir)) {
            QualityEvaluator loaded = QualityEvaluator.load(dir, heldOut);
            log.printf(Locale.ROOT, "quality: %s from %s; FD floor %.3f%n", loaded.featureExtractor(), dir, loaded.floor());
            return loaded;
        }
        // fit prints the one "quality:" summary line
        QualityEvaluator evaluator = QualityEvaluator.fit(train, heldOut, plan.streamSeed(Seeds.QUALITY), log);
        evaluator.save(dir);
        return evaluator;
    }

    private QualityReport measure(MultiLayerNetwork g, QualityEvaluator quality, int epoch, String losses) {
        int n = quality.sampleCount();
        INDArray z = new LatentSampler(plan.streamSeed(Seeds.QUALITY_LATENTS), plan.config().zDim()).next(n);
        float[] samples = g.output(z, false).dup('c').data().asFloat();
        for (float v : samples) {
            if (!Float.isFinite(v)) {
                // seen once in CI (a one-epoch run of the tiny test net): say so plainly instead of
                // letting the Fréchet distance fail on NaN features
                throw new IllegalStateException("epoch " + epoch + ": the generator's samples hold " + v
                        + " (training diverged; epoch means: " + losses + "); resume from an earlier checkpoint"
                        + " with a lower --learning-rate");
            }
        }
        return quality.evaluate(samples, n);
    }

    private void writeGrid(MultiLayerNetwork g, INDArray latents, ImageSet train, int epoch) throws IOException {
        float[] images = g.output(latents, false).dup('c').data().asFloat();
        ImageGrid.writePng(images, TrainingPlan.GRID_SAMPLES, train.channels(), train.height(), train.width(),
                runDir.resolve(SAMPLES).resolve(String.format("epoch-%04d.png", epoch)));
    }

    private static String summary(EpochMetrics m) {
        String line = String.format(Locale.ROOT, "epoch %d: D loss %.4f, G loss %.4f, D(x) %.3f, D(G(z)) %.3f, %.1f s, %.0f images/s",
                m.epoch(), m.dLoss(), m.gLoss(), m.dReal(), m.dFake(), m.seconds(), m.imagesPerSecond());
        if (m.hasQuality()) {
            line += String.format(Locale.ROOT, ", Fréchet %.2f (floor %.2f), %d classes", m.frechetDistance(),
                    m.frechetFloor(), m.classesCovered());
        }
        return line;
    }

    /** Epoch means of the per-iteration statistics. */
    private static final class RunningMeans {
        private double dLoss;
        private double gLoss;
        private double dReal;
        private double dFake;
        private int count;

        void add(GanStep.Stats s) {
            dLoss += s.dLoss();
            gLoss += s.gLoss();
            dReal += s.dReal();
            dFake += s.dFake();
            count++;
        }

        String describe() {
            return String.format(Locale.ROOT, "D %.3f G %.3f D(x) %.2f D(G(z)) %.2f",
                    dLoss / count, gLoss / count, dReal / count, dFake / count);
        }

        EpochMetrics toMetrics(int epoch, double seconds, double imagesPerSecond, QualityReport report,
                               QualityEvaluator quality) {
            return new EpochMetrics(epoch, dLoss / count, gLoss / count, dReal / count, dFake / count, seconds,
                    imagesPerSecond,
                    report == null ? null : report.frechetDistance(),
                    report == null ? null : quality.floor(),
                    report == null ? null : report.classesCovered(),
                    report == null ? null : report.classHistogram());
        }
    }
}
