package dev.forger.trainer.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.training.Checkpoint;
import dev.forger.trainer.training.EpochMetrics;
import dev.forger.trainer.training.LatentSampler;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bundle's {@code manifest.json}, from the checkpoint's state and what the run directory
 * recorded ({@link RunRecords}).
 *
 * <ul>
 *   <li>{@code training}: dataset, command and hyperparameters from run.json (from the checkpoint's
 *       own configuration when there is no run.json); {@code epochs} is the checkpoint's epoch,
 *       the number of epochs the exported weights were trained for.</li>
 *   <li>{@code metrics}: the row of metrics.csv of the last epoch ≤ the checkpoint's epoch in
 *       which quality was measured ({@code frechetDistance}, {@code frechetFloor},
 *       {@code classesCovered}, {@code classHistogram}, {@code featureExtractor}, {@code epoch},
 *       {@code trainModeDReal}, {@code trainModeDFake}: D's epoch means in training mode, on batches as it
 *       trained); the checkpoint's own row (losses only) when quality was never measured; plus
 *       {@code servedDiscriminator}, the exported discriminator measured in ONNX Runtime on held-out real and
 *       generated images ({@link ServedDiscriminator}), when the run kept held-out images.</li>
 *   <li>{@code classifier}: the quality metric's digit classifier as {@value BundleFiles#CLASSIFIER}, with its
 *       held-out accuracy measured in ONNX Runtime (or, without held-out images, as the run recorded it).</li>
 * </ul>
 */
final class ManifestFactory {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The digit classifier's classes in the order of its outputs: label d is digit d (SVHN's 10 is read as 0). */
    static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private ManifestFactory() {}

    /**
     * @param files the three ONNX files' names and sha256 values
     */
    static BundleManifest create(String name, String version, Checkpoint.State state, RunRecords records,
                                 BundleFiles files, ServedMeasurements served) {
        DcganConfig config = state.config();
        var latent = BundleManifest.Latent.uniform(config.zDim(), LatentSampler.LOW, LatentSampler.HIGH);
        var image = new BundleManifest.Image(config.channels(), config.imageSize(), config.imageSize());
        var generator = new BundleManifest.Network(BundleFiles.GENERATOR, DcganOnnxExporter.LATENT,
                DcganOnnxExporter.IMAGE, files.generatorSha256());
        var discriminator = new BundleManifest.Network(BundleFiles.DISCRIMINATOR, DcganOnnxExporter.IMAGE,
                DcganOnnxExporter.LOGIT, files.discriminatorSha256());
        var gradient = new BundleManifest.GradientNetwork(BundleFiles.GRADIENT, files.gradientSha256());
        BundleManifest.Classifier classifier = files.classifierSha256() == null ? null
                : new BundleManifest.Classifier(BundleFiles.CLASSIFIER, DcganOnnxExporter.IMAGE,
                        DcganOnnxExporter.CLASS_LOGITS, files.classifierSha256(), CLASS_NAMES,
                        served.classifierAccuracy() != null ? served.classifierAccuracy() : records.featureExtractorAccuracy());
        Map<String, Object> metrics = metrics(state.epoch(), records);
        if (served.discriminator() != null) {
            Map<String, Object> numbers = new LinkedHashMap<>();
            Integer steps = state.servedDiscriminatorSteps();
            numbers.put("discriminator", steps != null
                    ? "the GAN's final discriminator, BatchNorm folded into its convolutions, then trained alone for "
                    + steps + " steps on single images against the final generator"
                    : "the GAN's discriminator, in inference mode (BatchNorm with running statistics)");
            if (steps != null) {
                numbers.put("servedDiscriminatorSteps", steps);
            }
            numbers.putAll(served.discriminator().toManifest());
            metrics.put("servedDiscriminator", numbers);
        }
        return new BundleManifest(name, version, description(config, state, records), image, latent, generator,
                discriminator, gradient, classifier, training(state, records), metrics);
    }

    private static String description(DcganConfig config, Checkpoint.State state, RunRecords records) {
        String data = records.run() != null && records.run().dataset() != null ? " on " + records.run().dataset() : "";
        return "DCGAN (DL4J, conv width " + config.convDim() + (config.batchNorm() ? ", batch norm" : "")
                + ") trained" + data + " for " + state.epoch() + " epoch" + (state.epoch() == 1 ? "" : "s") + ", "
                + config.imageSize() + "x" + config.imageSize() + (config.channels() == 1 ? " grey" : " RGB");
    }

    private static BundleManifest.Training training(Checkpoint.State state, RunRecords records) {
        if (records.run() != null) {
            return new BundleManifest.Training(records.run().dataset(), state.epoch(), records.run().command(),
                    new LinkedHashMap<>(records.run().hyperparameters()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> hyperparameters = new LinkedHashMap<>(JSON.convertValue(state.config(), Map.class));
        hyperparameters.put("batchSize", state.batchSize());
        hyperparameters.put("seed", state.seed());
        return new BundleManifest.Training(null, state.epoch(), null, hyperparameters);
    }

    private static Map<String, Object> metrics(int epoch, RunRecords records) {
        Optional<EpochMetrics> measured = records.metrics().stream()
                .filter(m -> m.epoch() <= epoch && m.hasQuality()).max(Comparator.comparingInt(EpochMetrics::epoch));
        Optional<EpochMetrics> row = measured.or(() -> records.metrics().stream().filter(m -> m.epoch() == epoch).findFirst());
        Map<String, Object> metrics = new LinkedHashMap<>();
        row.ifPresent(m -> {
            metrics.put("epoch", m.epoch());
            putIfPresent(metrics, "frechetDistance", m.frechetDistance());
            putIfPresent(metrics, "frechetFloor", m.frechetFloor());
            putIfPresent(metrics, "classesCovered", m.classesCovered());
            if (m.classHistogram() != null) {
                metrics.put("classHistogram", Arrays.stream(m.classHistogram()).boxed().toList());
            }
            if (m.hasQuality()) {
                putIfPresent(metrics, "featureExtractor", records.featureExtractor());
                putIfPresent(metrics, "featureExtractorAccuracy", records.featureExtractorAccuracy());
            }
            metrics.put("trainModeDReal", m.dReal());
            metrics.put("trainModeDFake", m.dFake());
        });
        return metrics;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
