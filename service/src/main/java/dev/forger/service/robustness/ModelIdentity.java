package dev.forger.service.robustness;

import dev.forger.service.registry.LoadedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What identifies the model an evaluation ran on: its name, the bundle's version and the sha256 of
 * the discriminator file the attacks query. Replicas compare it before running a unit, so that units
 * of one evaluation never run against different weights.
 */
public record ModelIdentity(String name, String version, String sha256) {
    /**
     * Per loaded model, not per file: a bundle reloaded from the same folder with new weights is a new
     * LoadedModel with the same file name, and must not inherit its predecessor's sha256. Weak keys let
     * retired models go.
     */
    private static final Map<LoadedModel, ModelIdentity> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    public static ModelIdentity of(LoadedModel model) {
        return CACHE.computeIfAbsent(model, ModelIdentity::compute);
    }

    private static ModelIdentity compute(LoadedModel model) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(model.discriminatorFile()),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            return new ModelIdentity(model.name(), model.manifest().version(), sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model.discriminatorFile(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
