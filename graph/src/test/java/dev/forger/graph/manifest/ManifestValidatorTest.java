package dev.forger.graph.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestValidatorTest {
    @TempDir
    Path dir;

    String generatorSha;
    String discriminatorSha;

    @BeforeEach
    void writeNetworkFiles() throws IOException {
        Files.writeString(dir.resolve("generator.onnx"), "g");
        Files.writeString(dir.resolve("discriminator.onnx"), "d");
        generatorSha = Sha256.of(dir.resolve("generator.onnx"));
        discriminatorSha = Sha256.of(dir.resolve("discriminator.onnx"));
    }

    BundleManifest valid() {
        return new BundleManifest("mnist", "1", "test", new BundleManifest.Image(1, 32, 32),
                BundleManifest.Latent.uniform(100, -1, 1),
                new BundleManifest.Network("generator.onnx", "z", "image", generatorSha),
                new BundleManifest.Network("discriminator.onnx", "image", "logit", discriminatorSha),
                null, new BundleManifest.Training("mnist", 3, "forger train", Map.of()), Map.of());
    }

    static List<String> messages(List<ManifestProblem> problems) {
        return problems.stream().map(ManifestProblem::message).toList();
    }

    @Test
    void aValidBundleHasNoProblems() throws IOException {
        assertThat(ManifestValidator.check(valid(), dir)).isEmpty();
        ManifestIo.write(dir.resolve("manifest.json"), valid());
        assertThat(ManifestValidator.readValid(dir)).isEqualTo(valid());
    }

    @Test
    void optionalPartsMayBeAbsent() {
        BundleManifest m = valid();
        BundleManifest minimal = new BundleManifest(m.name(), m.version(), null, m.image(), m.latent(),
                new BundleManifest.Network("generator.onnx", null, null, null),
                new BundleManifest.Network("discriminator.onnx", null, null, null), null, null, null);
        assertThat(ManifestValidator.check(minimal, dir)).isEmpty();
    }

    @Test
    void reportsEveryMissingRequiredField() {
        BundleManifest empty = new BundleManifest(null, " ", null, null, null, null, null, null, null, null);

        assertThat(messages(ManifestValidator.check(empty))).containsExactly(
                "name is missing", "version is missing", "image is missing", "latent is missing",
                "generator is missing", "discriminator is missing");
    }

    @Test
    void reportsMissingAndNonPositiveShapes() {
        BundleManifest m = valid();
        BundleManifest bad = new BundleManifest(m.name(), m.version(), null, new BundleManifest.Image(null, 0, -3),
                new BundleManifest.Latent(0, "uniform", -1.0, 1.0, null, null), m.generator(), m.discriminator(),
                null, null, null);

        List<ManifestProblem> problems = ManifestValidator.check(bad);

        assertThat(messages(problems)).containsExactly("image.channels is missing",
                "image.height must be positive, was 0", "image.width must be positive, was -3",
                "latent.dim must be positive, was 0");
        assertThat(problems).extracting(ManifestProblem::field)
                .containsExactly("image.channels", "image.height", "image.width", "latent.dim");
    }

    @Test
    void reportsMissingDistributionParameters() {
        assertThat(messages(ManifestValidator.check(withLatent(new BundleManifest.Latent(8, "uniform", -1.0, null, 0.0, 1.0)))))
                .containsExactly("latent.high is missing (required by the uniform distribution)");
        assertThat(messages(ManifestValidator.check(withLatent(new BundleManifest.Latent(8, "normal", -1.0, 1.0, null, null)))))
                .containsExactly("latent.mean is missing (required by the normal distribution)",
                        "latent.std is missing (required by the normal distribution)");
        assertThat(messages(ManifestValidator.check(withLatent(new BundleManifest.Latent(8, null, -1.0, 1.0, null, null)))))
                .containsExactly("latent.distribution is missing");
    }

    @Test
    void reportsUnsoundDistributionParameters() {
        assertThat(messages(ManifestValidator.check(withLatent(BundleManifest.Latent.uniform(8, 1, 1)))))
                .containsExactly("latent.low must be below latent.high, got low=1.0 high=1.0");
        assertThat(messages(ManifestValidator.check(withLatent(BundleManifest.Latent.normal(8, 0, 0)))))
                .containsExactly("latent.std must be positive, was 0.0");
        assertThat(messages(ManifestValidator.check(withLatent(BundleManifest.Latent.normal(8, Double.NaN, 1)))))
                .containsExactly("latent.mean must be a finite number, was NaN");
        assertThat(messages(ManifestValidator.check(withLatent(new BundleManifest.Latent(8, "gaussian", null, null, 0.0, 1.0)))))
                .containsExactly("latent.distribution must be \"uniform\" or \"normal\", was \"gaussian\"");
    }

    @Test
    void reportsNetworkEntriesWithoutFileOrWithBlankNamesOrBadSha() {
        BundleManifest m = valid();
        BundleManifest bad = new BundleManifest(m.name(), m.version(), null, m.image(), m.latent(),
                new BundleManifest.Network(null, "", "image", null),
                new BundleManifest.Network("discriminator.onnx", "image", " ", "xyz"),
                new BundleManifest.GradientNetwork("", null), null, null);

        assertThat(messages(ManifestValidator.check(bad))).containsExactly(
                "generator.file is missing",
                "generator.input is blank (leave it out to use the model's first input)",
                "discriminator.output is blank (leave it out to use the model's first output)",
                "discriminator.sha256 must be 64 hex digits, was \"xyz\"",
                "discriminatorGradient.file is missing");
    }

    @Test
    void refusesFilesOutsideTheBundle() {
        BundleManifest m = valid();
        BundleManifest bad = new BundleManifest(m.name(), m.version(), null, m.image(), m.latent(),
                new BundleManifest.Network("../other/generator.onnx", null, null, null),
                new BundleManifest.Network("/etc/passwd", null, null, null), null, null, null);

        assertThat(messages(ManifestValidator.check(bad))).containsExactly(
                "generator.file must be a path inside the bundle, was \"../other/generator.onnx\"",
                "discriminator.file must be a path inside the bundle, was \"/etc/passwd\"");
    }

    @Test
    void reportsAFileThatDoesNotExist() throws IOException {
        Files.delete(dir.resolve("generator.onnx"));
        BundleManifest m = valid();
        BundleManifest withGradient = new BundleManifest(m.name(), m.version(), null, m.image(), m.latent(),
                m.generator(), m.discriminator(),
                new BundleManifest.GradientNetwork("discriminator-grad.onnx", null), null, null);

        assertThat(messages(ManifestValidator.check(withGradient, dir))).containsExactly(
                "generator.onnx: does not exist in " + dir + " (generator.file)",
                "discriminator-grad.onnx: does not exist in " + dir + " (discriminatorGradient.file)");
    }

    @Test
    void reportsAShaMismatchWithBothValues() throws IOException {
        Files.writeString(dir.resolve("discriminator.onnx"), "tampered");
        String actual = Sha256.of(dir.resolve("discriminator.onnx"));

        List<ManifestProblem> problems = ManifestValidator.check(valid(), dir);

        assertThat(messages(problems)).containsExactly(
                "discriminator.onnx: sha256 is " + actual + " but manifest says " + discriminatorSha);
        assertThat(problems.get(0).field()).isEqualTo("discriminator.sha256");
    }

    @Test
    void upperCaseShaIsAccepted() {
        BundleManifest m = valid();
        BundleManifest upper = new BundleManifest(m.name(), m.version(), null, m.image(), m.latent(),
                new BundleManifest.Network("generator.onnx", null, null, generatorSha.toUpperCase()),
                m.discriminator(), null, null, null);
        assertThat(ManifestValidator.check(upper, dir)).isEmpty();
    }

    @Test
    void readValidThrowsWithAllProblems() throws IOException {
        BundleManifest m = valid();
        ManifestIo.write(dir.resolve("manifest.json"), new BundleManifest(null, m.version(), null, m.image(),
                m.latent(), m.generator(), new BundleManifest.Network("missing.onnx", null, null, null),
                null, null, null));

        assertThatThrownBy(() -> ManifestValidator.readValid(dir))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("name is missing")
                .hasMessageContaining("missing.onnx: does not exist")
                .satisfies(e -> assertThat(((InvalidManifestException) e).problems()).hasSize(2));
    }

    @Test
    void negativeEpochsAreAProblem() {
        BundleManifest m = valid();
        BundleManifest bad = new BundleManifest(m.name(), m.version(), null, m.image(), m.latent(),
                m.generator(), m.discriminator(), null, new BundleManifest.Training(null, -1, null, null), null);
        assertThat(messages(ManifestValidator.check(bad))).containsExactly("training.epochs must not be negative, was -1");
    }

    private BundleManifest withLatent(BundleManifest.Latent latent) {
        BundleManifest m = valid();
        return new BundleManifest(m.name(), m.version(), null, m.image(), latent, m.generator(), m.discriminator(),
                null, null, null);
    }

    BundleManifest withClassifier(BundleManifest.Classifier classifier) {
        return valid().withClassifier(classifier);
    }

    @Test
    void aClassifierMemberIsCheckedLikeTheNetsAndItsFileToo() throws IOException {
        Files.writeString(dir.resolve("classifier.onnx"), "c");
        String sha = Sha256.of(dir.resolve("classifier.onnx"));
        BundleManifest.Classifier classifier = new BundleManifest.Classifier("classifier.onnx", "image", "logits", sha,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 0.985);

        assertThat(ManifestValidator.check(withClassifier(classifier), dir)).isEmpty();
        assertThat(ManifestValidator.check(withClassifier(
                new BundleManifest.Classifier("classifier.onnx", null, null, null, null, null)), dir))
                .as("only the file is required").isEmpty();

        Files.writeString(dir.resolve("classifier.onnx"), "changed");
        assertThat(messages(ManifestValidator.check(withClassifier(classifier), dir)))
                .containsExactly("classifier.onnx: sha256 is " + Sha256.of(dir.resolve("classifier.onnx"))
                        + " but manifest says " + sha);
        Files.delete(dir.resolve("classifier.onnx"));
        assertThat(messages(ManifestValidator.check(withClassifier(classifier), dir)))
                .containsExactly("classifier.onnx: does not exist in " + dir + " (classifier.file)");
    }

    @Test
    void aClassifierMemberWithBadFieldsGetsEveryProblemNamed() {
        BundleManifest.Classifier bad = new BundleManifest.Classifier("../elsewhere.onnx", " ", "", "xyz",
                List.of("0", "1", "1"), 1.5);

        assertThat(ManifestValidator.check(withClassifier(bad))).extracting(ManifestProblem::field).containsExactly(
                "classifier.file", "classifier.input", "classifier.output", "classifier.sha256", "classifier.classes",
                "classifier.heldOutAccuracy");
        assertThat(messages(ManifestValidator.check(withClassifier(
                new BundleManifest.Classifier(null, null, null, null, List.of(), Double.NaN)))))
                .containsExactly("classifier.file is missing",
                        "classifier.classes is empty (leave it out, or name every class in the order of the classifier's outputs)",
                        "classifier.heldOutAccuracy must lie in [0, 1], was NaN");
    }
}
