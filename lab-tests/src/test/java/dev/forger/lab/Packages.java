package dev.forger.lab;

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
 * The browser these tests drive comes from Debian's packages: when {@code chromium} or {@code chromedriver}
 * is missing it is installed with apt-get (this kind of machine is root), under the same lock file as
 * deploy/'s Tools, so parallel test JVMs never run dpkg at once. A silent skip would let a broken page through.
 */
final class Packages {
    private static final Path APT_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "forger-apt.lock");

    private Packages() {
    }

    /** The executable {@code name} on PATH, installing {@code debianPackage} first when it is not there. */
    static Path require(String name, String debianPackage) {
        return find(name).orElseGet(() -> {
            install(debianPackage);
            return find(name).orElseThrow(() -> new AssertionError(name + " is still missing after 'apt-get install "
                    + debianPackage + "'; install it by hand"));
        });
    }

    static Optional<Path> find(String name) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        dirs.add(Path.of("/usr/bin"));
        return dirs.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    private static void install(String debianPackage) {
        if (find("apt-get").isEmpty()) {
            throw new AssertionError(debianPackage + " is needed and there is no apt-get here; install it by hand");
        }
        try (FileChannel channel = FileChannel.open(APT_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            String[] install = {"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                    "--no-install-recommends", debianPackage};
            if (run(install) != 0) {
                // the package lists of a new machine may be empty or stale
                if (run("apt-get", "update") != 0 || run(install) != 0) {
                    throw new AssertionError("apt-get install " + debianPackage + " failed; see the output above");
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot lock " + APT_LOCK + " to install " + debianPackage + ": " + e, e);
        }
    }

    private static int run(String... command) {
        try {
            Path log = Files.createTempFile("apt", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 15 minutes");
            }
            if (process.exitValue() != 0) {
                System.out.println(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Files.delete(log);
            return process.exitValue();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
