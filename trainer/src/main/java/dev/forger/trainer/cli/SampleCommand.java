package dev.forger.trainer.cli;

import dev.forger.trainer.report.ImageGrid;
import dev.forger.trainer.training.Checkpoint;
import dev.forger.trainer.training.LatentSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sample}: a grid of generated images from a checkpoint, in inference mode (as the service serves them). */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Write a PNG grid of generated images from a checkpoint.")
public class SampleCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true,
            description = "A run directory (its newest checkpoint) or one checkpoints/epoch-NNNN folder.")
    Path checkpoint;

    @Option(names = "--count", defaultValue = "64", description = "Images in the grid (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the latents (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "The PNG file to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (count <= 0 || count > 10_000) {
            spec.commandLine().getErr().println("error: --count must lie in 1..10000, got " + count);
            return PreviewCommand.EXIT_BAD_DATA;
        }
        Checkpoint loaded;
        try {
            loaded = Checkpoint.load(checkpoint);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return PreviewCommand.EXIT_BAD_DATA;
        }
        var config = loaded.state().config();
        INDArray z = new LatentSampler(seed, config.zDim()).next(count);
        float[] images = loaded.generator().output(z, false).dup('c').data().asFloat();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        ImageGrid.writePng(images, count, config.channels(), config.imageSize(), config.imageSize(), out);
        spec.commandLine().getOut().printf("wrote %d samples of epoch %d to %s%n", count, loaded.state().epoch(), out);
        return 0;
    }
}
