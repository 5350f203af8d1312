package dev.forger.trainer.cli;

import dev.forger.trainer.data.DatasetException;
import dev.forger.trainer.data.DatasetKind;
import dev.forger.trainer.data.DatasetSpec;
import dev.forger.trainer.data.Datasets;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.report.ImageGrid;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the first images of a dataset as PNG files exactly as the networks will see them: the
 * floats of {@link ImageSet#batch} mapped back to 8 bits by {@link ImageGrid#image}.
 *
 * <p>Files are named {@code 00000_label3.png}; an image without a label (-1) is just {@code 00000.png}.
 */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Write the first images of a dataset as PNGs, exactly as the networks see them.")
public class PreviewCommand implements Callable<Integer> {

    /** Exit code for data that cannot be loaded (picocli also uses 2 for bad arguments). */
    public static final int EXIT_BAD_DATA = 2;

    @Mixin
    DatasetOptions dataset = new DatasetOptions();

    @Option(names = "--count", defaultValue = "16", description = "How many images to write (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", required = true, description = "Directory for the PNG files (created if missing).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (count <= 0) {
            err.println("error: --count must be positive, got " + count);
            return EXIT_BAD_DATA;
        }
        ImageSet set;
        try {
            set = Datasets.load(dataset.toSpec());
        } catch (DatasetException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_BAD_DATA;
        }
        int n = Math.min(count, set.size());
        try {
            Files.createDirectories(out);
            float[] floats = new float[set.imageSize()];
            for (int i = 0; i < n; i++) {
                set.batch(new int[] {i}, floats);
                ImageGrid.writePng(ImageGrid.image(floats, 0, set.channels(), set.height(), set.width()),
                        out.resolve(fileName(i, set.labels()[i])));
            }
        } catch (IOException e) {
            err.println("error: cannot write to " + out + ": " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().printf("wrote %d of %d images (%dx%dx%d) from %s to %s%n",
                n, set.size(), set.channels(), set.height(), set.width(), set.source(), out);
        return 0;
    }

    /** {@code 00042_label7.png}, or {@code 00042.png} when the label is unknown. */
    public static String fileName(int index, int label) {
        return String.format("%05d%s.png", index, label >= 0 ? "_label" + label : "");
    }

    /** The options that choose and shape a dataset; other commands can reuse them with {@code @Mixin}. */
    public static class DatasetOptions {

        @Option(names = "--dataset", required = true, converter = KindConverter.class,
                description = "svhn, mnist, folder or synthetic.")
        DatasetKind kind;

        @Option(names = "--data", description = "The dataset file or directory (not needed for synthetic).")
        Path data;

        @Option(names = "--channels", description = "1 (grey) or 3 (RGB); default: the dataset's own (mnist 1, svhn 3, …).")
        Integer channels;

        @Option(names = "--image-size", defaultValue = "32", description = "Side of the square images (default: ${DEFAULT-VALUE}).")
        int imageSize;

        @Option(names = "--limit", defaultValue = "0", description = "Keep only the first N images; 0 keeps all.")
        int limit;

        @Option(names = "--seed", defaultValue = "0",
                description = "Seed of the synthetic dataset; for train also of weights, data order, latents and the held-out split (default: ${DEFAULT-VALUE}).")
        long seed;

        /** @throws IllegalArgumentException when the options do not make a valid spec */
        public DatasetSpec toSpec() {
            return new DatasetSpec(kind, data, channels == null ? kind.nativeChannels() : channels, imageSize, limit, seed);
        }
    }

    /** Case-insensitive dataset names, with the list of valid ones in the error. */
    static class KindConverter implements ITypeConverter<DatasetKind> {
        @Override
        public DatasetKind convert(String value) {
            return DatasetKind.parse(value);
        }
    }
}
