package dev.forger.service.registry;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Turns the three kinds of bundle source into a plain directory that the manifest validator and
 * ONNX Runtime can read: folders are used as they are, zips and classpath bundles are copied to a
 * temporary folder first.
 */
final class BundleFiles {
    /** A zip that inflates beyond this is refused: bundles are tens of MB, not gigabytes. */
    static final long MAX_UNZIPPED_BYTES = 2L << 30;

    private BundleFiles() {}

    /**
     * Extracts {@code zip}. The manifest may sit at the root or in one top-level folder (what
     * {@code zip -r bundle.zip bundle/} gives); the returned directory is the one holding it.
     *
     * @throws IOException naming the zip and the problem
     */
    static Path extractZip(Path zip, Path into) throws IOException {
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) { // "zip slip": ../ entries must not escape
                    throw new IOException(zip + ": entry '" + entry.getName() + "' points outside the bundle");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                total += Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                if (total > MAX_UNZIPPED_BYTES) {
                    throw new IOException(zip + ": inflates to more than " + (MAX_UNZIPPED_BYTES >> 20) + " MB");
                }
            }
        }
        if (Files.isRegularFile(into.resolve(ManifestIo.FILE_NAME))) {
            return into;
        }
        try (var children = Files.list(into)) {
            List<Path> withManifest = children.filter(c -> Files.isRegularFile(c.resolve(ManifestIo.FILE_NAME)))
                    .toList();
            if (withManifest.size() == 1) {
                return withManifest.get(0);
            }
        }
        throw new IOException(zip + ": no " + ManifestIo.FILE_NAME + " at its root or in a single top-level folder");
    }

    /**
     * Copies a bundle shipped on the classpath (inside the jar) to {@code into}: its manifest and
     * every file the manifest names.
     *
     * @return empty when there is no manifest at {@code folder}
     */
    static Optional<Path> copyFromClasspath(String folder, Path into) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String base = folder.endsWith("/") ? folder : folder + "/";
        BundleManifest manifest;
        try (InputStream in = loader.getResourceAsStream(base + ManifestIo.FILE_NAME)) {
            if (in == null) {
                return Optional.empty();
            }
            Files.copy(in, into.resolve(ManifestIo.FILE_NAME));
        }
        manifest = ManifestIo.read(into.resolve(ManifestIo.FILE_NAME));
        List<String> files = new ArrayList<>();
        if (manifest.generator() != null) {
            files.add(manifest.generator().file());
        }
        if (manifest.discriminator() != null) {
            files.add(manifest.discriminator().file());
        }
        if (manifest.discriminatorGradient() != null) {
            files.add(manifest.discriminatorGradient().file());
        }
        if (manifest.classifier() != null) {
            files.add(manifest.classifier().file());
        }
        for (String file : files) {
            if (file == null || file.isBlank() || Path.of(file).isAbsolute() || file.contains("..")) {
                continue; // the validator reports these
            }
            try (InputStream in = loader.getResourceAsStream(base + file)) {
                if (in != null) { // a missing file is reported by the validator, naming it
                    Path target = into.resolve(file);
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return Optional.of(into);
    }

    /** Deletes a temporary bundle copy; best effort. */
    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover temp folder is harmless
        }
    }
}
