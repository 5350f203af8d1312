package dev.forger.service.registry;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.graph.manifest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One file of a loaded bundle — manifest, generator, discriminator, shipped gradient graph, classifier — with the
 * sha256 of its contents when the bundle was loaded. Hashed at load, before ONNX Runtime reads the nets, so the
 * digests name what is served even after the folder is overwritten (a reload in place replaces the whole
 * LoadedModel, with digests of its own); evaluations record and compare them.
 */
public record BundleFile(String role, String file, String sha256) {
    public static final String DISCRIMINATOR = "discriminator";

    static List<BundleFile> hash(Path directory, BundleManifest manifest) throws IOException {
        List<BundleFile> files = new ArrayList<>();
        add(files, "manifest", directory, ManifestIo.FILE_NAME);
        if (manifest.generator() != null) {
            add(files, "generator", directory, manifest.generator().file());
        }
        add(files, DISCRIMINATOR, directory, manifest.discriminator().file());
        if (manifest.discriminatorGradient() != null) {
            add(files, "discriminatorGradient", directory, manifest.discriminatorGradient().file());
        }
        if (manifest.classifier() != null) {
            add(files, "classifier", directory, manifest.classifier().file());
        }
        return List.copyOf(files);
    }

    private static void add(List<BundleFile> files, String role, Path directory, String name) throws IOException {
        Path file = directory.resolve(name);
        if (Files.isRegularFile(file)) {
            files.add(new BundleFile(role, name, Sha256.of(file)));
        }
    }
}
