package dev.forger.service.robustness;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.service.registry.LoadedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The sha256 of every file of a model's bundle that an evaluation can have used — manifest, generator,
 * discriminator, shipped gradient graph, classifier — hashed from disk as served, once per loaded bundle.
 */
final class BundleDigests {
    /** Per loaded model, as {@link ModelIdentity}: a bundle reloaded in place has the same paths, other contents. */
    private static final Map<LoadedModel, List<EvaluationSpec.BundleFile>> CACHE =
            Collections.synchronizedMap(new WeakHashMap<>());

    private BundleDigests() {}

    static List<EvaluationSpec.BundleFile> of(LoadedModel model) {
        return CACHE.computeIfAbsent(model, BundleDigests::compute);
    }

    private static List<EvaluationSpec.BundleFile> compute(LoadedModel model) {
        Path dir = model.discriminatorFile().getParent();
        BundleManifest m = model.manifest();
        List<EvaluationSpec.BundleFile> files = new ArrayList<>();
        add(files, "manifest", dir, ManifestIo.FILE_NAME);
        add(files, "generator", dir, m.generator().file());
        add(files, "discriminator", dir, m.discriminator().file());
        if (m.discriminatorGradient() != null) {
            add(files, "discriminatorGradient", dir, m.discriminatorGradient().file());
        }
        if (m.classifier() != null) {
            add(files, "classifier", dir, m.classifier().file());
        }
        return List.copyOf(files);
    }

    private static void add(List<EvaluationSpec.BundleFile> files, String role, Path dir, String name) {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
            files.add(new EvaluationSpec.BundleFile(role, name, sha256(file)));
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
