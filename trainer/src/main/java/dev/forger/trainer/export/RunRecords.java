package dev.forger.trainer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.quality.QualityEvaluator;
import dev.forger.trainer.report.HeldOutImages;
import dev.forger.trainer.report.MetricsCsv;
import dev.forger.trainer.report.RunInfo;
import dev.forger.trainer.training.EpochMetrics;
import dev.forger.trainer.training.GanTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * What a run directory says about the run beside its checkpoints, each part optional: {@code run.json}
 * (command, hyperparameters, dataset), {@code metrics.csv} (per-epoch numbers),
 * {@code quality/quality.json} and {@code quality/digit-classifier.zip} (the feature extractor behind the Fréchet
 * distance, a digit classifier) and the held-out images ({@link HeldOutImages}).
 *
 * @param run                    run.json, or null when absent
 * @param metrics                metrics.csv rows, empty when absent
 * @param featureExtractor       the quality metric's feature extractor, or null
 * @param featureExtractorAccuracy its accuracy on the held-out images, or null
 * @param heldOut                the images the run held out of training, or null when the run kept none
 * @param classifier             the quality metric's digit classifier (DL4J), or null
 */
record RunRecords(RunInfo run, List<EpochMetrics> metrics, String featureExtractor, Double featureExtractorAccuracy,
                  ImageSet heldOut, MultiLayerNetwork classifier) {
    /** The quality evaluator's saved state inside {@link GanTrainer#QUALITY}. */
    static final String QUALITY_FILE = "quality.json";

    static final RunRecords NONE = new RunRecords(null, List.of(), null, null, null, null);

    /** Reads what exists in {@code runDir}; a file that exists but is malformed fails naming it. */
    static RunRecords read(Path runDir) throws IOException {
        if (runDir == null) {
            return NONE;
        }
        Path runFile = runDir.resolve(RunInfo.FILE_NAME);
        RunInfo run = Files.isRegularFile(runFile) ? RunInfo.read(runFile) : null;
        Path metricsFile = runDir.resolve(MetricsCsv.FILE_NAME);
        List<EpochMetrics> metrics = Files.isRegularFile(metricsFile) ? MetricsCsv.read(metricsFile) : List.of();
        Path quality = runDir.resolve(GanTrainer.QUALITY).resolve(QUALITY_FILE);
        String extractor = null;
        Double accuracy = null;
        if (Files.isRegularFile(quality)) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(quality.toFile());
            } catch (IOException e) {
                throw new IOException(quality + ": not valid JSON: " + e.getMessage(), e);
            }
            if (root != null && root.hasNonNull("extractor")) {
                extractor = root.get("extractor").asText();
            }
            if (root != null && root.hasNonNull("heldOutAccuracy") && root.get("heldOutAccuracy").isNumber()) {
                accuracy = root.get("heldOutAccuracy").asDouble();
            }
        }
        ImageSet heldOut = HeldOutImages.existIn(runDir) ? HeldOutImages.read(runDir) : null;
        if (heldOut != null && heldOut.size() == 0) {
            heldOut = null;
        }
        Path classifierFile = runDir.resolve(GanTrainer.QUALITY).resolve(QualityEvaluator.CLASSIFIER_FILE);
        MultiLayerNetwork classifier = null;
        if (Files.isRegularFile(classifierFile)) {
            try {
                classifier = ModelSerializer.restoreMultiLayerNetwork(classifierFile.toFile(), false);
            } catch (IOException | RuntimeException e) {
                throw new IOException(classifierFile + ": cannot be read as a DL4J network: " + e.getMessage(), e);
            }
        }
        return new RunRecords(run, metrics, extractor, accuracy, heldOut, classifier);
    }
}
