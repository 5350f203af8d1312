package dev.forger.graph.autodiff;

import dev.forger.graph.compose.Net;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The networks of the committed default bundle, read from the service's resources as the service reads them. */
public final class DefaultBundle {
    public static final Path DIR = Path.of("../service/src/main/resources/models/mnist-dcgan");

    private DefaultBundle() {}

    /** The generator as the manifest declares it: input z [N,100], output image [N,1,32,32]. */
    public static Net generator() {
        return Net.of(bytes("generator.onnx"), "z", "image");
    }

    /** The discriminator: input image [N,1,32,32], output logit [N,1]. */
    public static Net discriminator() {
        return Net.of(bytes("discriminator.onnx"), "image", "logit");
    }

    public static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("the default bundle should be at " + DIR.toAbsolutePath(), e);
        }
    }
}
