package dev.forger.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.forger.trainer.nets.DcganConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The trained state after an epoch: both nets with their Adam state, and what is needed to continue.
 *
 * <p>Lives in {@code RUN_DIR/checkpoints/epoch-NNNN/} as {@code generator.zip}, {@code discriminator.zip}
 * (DL4J's format, updater included) and {@code state.json}. A checkpoint is written to a temporary folder
 * and renamed into place, so an interrupted run never leaves a half-written one behind.
 *
 * <p>The last epoch of a run may also hold {@code served-discriminator.zip}: the discriminator the bundle serves,
 * made after training ({@code ServedDiscriminatorTraining}); the export prefers it to the GAN's.
 *
 * @param generator     the generator
 * @param discriminator the discriminator
 * @param state         epoch, iteration and hyperparameters
 * @param servedDiscriminator the discriminator to serve, or null to serve {@code discriminator} as it is
 */
public record Checkpoint(MultiLayerNetwork generator, MultiLayerNetwork discriminator, State state,
                         MultiLayerNetwork servedDiscriminator) {

    public static final String DIRECTORY = "checkpoints";
    static final String SERVED_DISCRIMINATOR = "served-discriminator.zip";

    public Checkpoint(MultiLayerNetwork generator, MultiLayerNetwork discriminator, State state) {
        this(generator, discriminator, state, null);
    }

    /** The discriminator a bundle of this checkpoint serves. */
    public MultiLayerNetwork discriminatorToServe() {
        return servedDiscriminator != null ? servedDiscriminator : discriminator;
    }
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param epoch     epochs completed
     * @param iteration optimiser steps taken (Adam's bias correction counts them)
     * @param batchSize images per step
     * @param seed      the run's seed
     * @param randomStreams how the random streams derive from the seed ({@link dev.forger.trainer.Seeds#SCHEME});
     *                  null in checkpoints of trainers before scheme 2
     * @param config    the nets' hyperparameters
     * @param servedDiscriminatorSteps steps of {@code ServedDiscriminatorTraining} behind {@code served-discriminator.zip},
     *                  or null when the checkpoint has none
     */
    public record State(int epoch, int iteration, int batchSize, long seed, Integer randomStreams, DcganConfig config,
                        Integer servedDiscriminatorSteps) {

        public State(int epoch, int iteration, int batchSize, long seed, Integer randomStreams, DcganConfig config) {
            this(epoch, iteration, batchSize, seed, randomStreams, config, null);
        }

        State withServedDiscriminatorSteps(int steps) {
            return new State(epoch, iteration, batchSize, seed, randomStreams, config, steps);
        }
    }

    public Path save(Path runDir) throws IOException {
        Path root = runDir.resolve(DIRECTORY);
        Files.createDirectories(root);
        Path target = root.resolve(String.format("epoch-%04d", state.epoch()));
        Path temporary = Files.createTempDirectory(root, ".writing-");
        ModelSerializer.writeModel(generator, temporary.resolve("generator.zip").toFile(), true);
        ModelSerializer.writeModel(discriminator, temporary.resolve("discriminator.zip").toFile(), true);
        if (servedDiscriminator != null) {
            ModelSerializer.writeModel(servedDiscriminator, temporary.resolve(SERVED_DISCRIMINATOR).toFile(), false);
        }
        JSON.writeValue(temporary.resolve("state.json").toFile(), state);
        deleteRecursively(target);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The checkpoint in {@code dir}: a run directory (its latest checkpoint) or one epoch's folder. */
    public static Checkpoint load(Path dir) throws IOException {
        Path epochDir = Files.isRegularFile(dir.resolve("state.json")) ? dir
                : latest(dir).orElseThrow(() -> new IOException(dir + ": no checkpoint found (expected "
                        + DIRECTORY + "/epoch-NNNN/state.json; was the run started with train --out " + dir + "?)"));
        State state = JSON.readValue(epochDir.resolve("state.json").toFile(), State.class);
        MultiLayerNetwork g = ModelSerializer.restoreMultiLayerNetwork(epochDir.resolve("generator.zip").toFile(), true);
        MultiLayerNetwork d = ModelSerializer.restoreMultiLayerNetwork(epochDir.resolve("discriminator.zip").toFile(), true);
        Path servedFile = epochDir.resolve(SERVED_DISCRIMINATOR);
        MultiLayerNetwork served = Files.isRegularFile(servedFile)
                ? ModelSerializer.restoreMultiLayerNetwork(servedFile.toFile(), false) : null;
        return new Checkpoint(g, d, state, served);
    }

    /** The newest epoch folder of a run, if any. */
    public static Optional<Path> latest(Path runDir) throws IOException {
        Path root = runDir.resolve(DIRECTORY);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> epochs = Files.list(root)) {
            return epochs.filter(p -> p.getFileName().toString().startsWith("epoch-"))
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints (keep ≤ 0 keeps all). */
    public static void prune(Path runDir, int keep) throws IOException {
        if (keep <= 0) {
            return;
        }
        List<Path> epochs;
        try (Stream<Path> list = Files.list(runDir.resolve(DIRECTORY))) {
            epochs = list.filter(p -> p.getFileName().toString().startsWith("epoch-")).sorted().toList();
        }
        for (int i = 0; i < epochs.size() - keep; i++) {
            deleteRecursively(epochs.get(i));
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
