package dev.forger.graph.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@code manifest.json}. Unknown fields are ignored so that newer bundles load in
 * older services (fields may be added, never renamed); output is pretty-printed for humans.
 */
public final class ManifestIo {
    /** The file name of the manifest inside a bundle. */
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestIo() {}

    /** Reads a manifest file; a malformed one fails with an {@link IOException} naming the file. */
    public static BundleManifest read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a manifest from a stream (e.g. a zip entry); {@code source} names it in errors. */
    public static BundleManifest read(InputStream in, String source) throws IOException {
        try {
            BundleManifest manifest = MAPPER.readValue(in, BundleManifest.class);
            if (manifest == null) {
                throw new IOException(source + ": empty manifest (JSON null)");
            }
            return manifest;
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": not a valid manifest: " + e.getOriginalMessage()
                    + locationOf(e), e);
        }
    }

    public static void write(Path file, BundleManifest manifest) throws IOException {
        Files.writeString(file, toJson(manifest) + System.lineSeparator());
    }

    public static String toJson(BundleManifest manifest) {
        try {
            return MAPPER.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            // only reachable with un-serialisable objects in the free-form maps
            throw new IllegalArgumentException("manifest cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
