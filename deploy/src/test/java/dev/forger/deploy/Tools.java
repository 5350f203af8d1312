package dev.forger.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real tools these tests run. A tool missing from the machine is installed from Debian's packages
 * (this kind of machine is root with apt-get), so the README's one test command works on a new machine;
 * where that is impossible the test fails with how to install it. A silent skip would let broken
 * manifests or queries through.
 */
final class Tools {
    /** Serialises apt-get between test JVMs of parallel builds: dpkg allows one at a time. */
    private static final Path APT_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "forger-apt.lock");

    private Tools() {
    }

    static Path kubectl() {
        return find("kubectl").orElseThrow(() -> new AssertionError("kubectl is not on PATH; install kubectl ≥ 1.27 "
                + "(its built-in kustomize): the machine image's 'kubectl' package, or a release binary on PATH; "
                + "Debian's kubernetes-client 1.20 is too old for these kustomizations"));
    }

    static Path promtool() {
        return require("promtool", "prometheus");
    }

    static Path prometheus() {
        return require("prometheus", "prometheus");
    }

    /**
     * The executable {@code name} from PATH (or {@code extraDirs}), installing the Debian package
     * {@code debianPackage} first when it is missing.
     */
    static Path require(String name, String debianPackage, Path... extraDirs) {
        return find(name, extraDirs).orElseGet(() -> {
            aptInstall(debianPackage);
            return find(name, extraDirs).orElseThrow(() -> new AssertionError(name + " is still missing after "
                    + "'apt-get install " + debianPackage + "'; install it by hand and put it on PATH"));
        });
    }

    static Optional<Path> find(String name, Path... extraDirs) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        dirs.addAll(List.of(Path.of("/usr/sbin"), Path.of("/sbin")));
        dirs.addAll(List.of(extraDirs));
        return dirs.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    /** Installs a Debian package with apt-get, refreshing the package lists once if the first try fails. */
    static void aptInstall(String debianPackage) {
        if (find("apt-get").isEmpty()) {
            throw new AssertionError(debianPackage + " is needed and there is no apt-get here; install it by hand");
        }
        try (FileChannel channel = FileChannel.open(APT_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            String[] install = {"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                    "--no-install-recommends", debianPackage};
            if (run(Path.of("/"), 900, install).exitCode() != 0) {
                run(Path.of("/"), 900, "apt-get", "update").orFail();
                run(Path.of("/"), 900, install).orFail();
            }
        } catch (IOException e) {
            throw new AssertionError("cannot lock " + APT_LOCK + " to install " + debianPackage + ": " + e, e);
        }
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
