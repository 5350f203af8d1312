package dev.forger.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real tools these tests run. A missing tool fails the test with how to install it: CI's .ci/run
 * installs them, and a silent skip would let broken manifests or queries through.
 */
final class Tools {
    private Tools() {
    }

    static Path kubectl() {
        return require("kubectl", "kubectl ≥ 1.27 (its built-in kustomize): the machine image's 'kubectl' package, "
                + "or a release binary on PATH; Debian's kubernetes-client 1.20 is too old for these kustomizations");
    }

    static Path promtool() {
        return require("promtool", "apt-get install -y prometheus   (Debian's package ships promtool)");
    }

    static Path prometheus() {
        return require("prometheus", "apt-get install -y prometheus");
    }

    static Path require(String name, String howToInstall) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not on PATH; install it: " + howToInstall);
    }

    /** Runs a command to completion; the result holds its exit code and its merged output. */
    static Result run(Path workDir, long timeoutSeconds, String... command) {
        try {
            Path log = Files.createTempFile("tool", ".log");
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Result(process.exitValue(), output, List.of(command));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    record Result(int exitCode, String output, List<String> command) {
        /** The output, or an assertion error with the command and its output when it failed. */
        String orFail() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return output;
        }
    }
}
