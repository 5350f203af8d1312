package dev.forger.graph.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a {@link BundleManifest} against the contract in DESIGN.md "Model bundle" and, given the
 * bundle directory, that its files exist and match their recorded sha256.
 *
 * <p>All problems are collected rather than stopping at the first, so one log line tells the
 * bundle's author everything to fix. Required: name, version, image (positive shape), latent
 * (positive dim, a known distribution with its parameters), generator and discriminator (a file
 * each). Optional: description, input/output names, sha256 values, discriminatorGradient,
 * classifier (a file, and when given: class names that are non-blank and distinct, an accuracy in [0, 1]),
 * training, metrics.
 */
public final class ManifestValidator {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private ManifestValidator() {}

    /** Problems in the manifest itself, without looking at any file. Empty when it is valid. */
    public static List<ManifestProblem> check(BundleManifest manifest) {
        Checks checks = new Checks();
        checks.requireText("name", manifest.name());
        checks.requireText("version", manifest.version());
        checkImage(checks, manifest.image());
        checkLatent(checks, manifest.latent());
        checkNetwork(checks, "generator", manifest.generator());
        checkNetwork(checks, "discriminator", manifest.discriminator());
        if (manifest.discriminatorGradient() != null) {
            BundleManifest.GradientNetwork gradient = manifest.discriminatorGradient();
            checkFileName(checks, "discriminatorGradient", gradient.file());
            checkShaFormat(checks, "discriminatorGradient", gradient.sha256());
        }
        if (manifest.classifier() != null) {
            checkClassifier(checks, manifest.classifier());
        }
        if (manifest.training() != null && manifest.training().epochs() != null && manifest.training().epochs() < 0) {
            checks.add("training.epochs", "training.epochs must not be negative, was " + manifest.training().epochs());
        }
        return checks.problems;
    }

    /**
     * Problems in the manifest and in the bundle directory it describes: every referenced file must
     * exist there and, where a sha256 is given, hash to it. Empty when the bundle is servable.
     */
    public static List<ManifestProblem> check(BundleManifest manifest, Path bundleDir) {
        List<ManifestProblem> problems = new ArrayList<>(check(manifest));
        Checks checks = new Checks();
        if (manifest.generator() != null) {
            checkFile(checks, bundleDir, "generator", manifest.generator().file(), manifest.generator().sha256());
        }
        if (manifest.discriminator() != null) {
            checkFile(checks, bundleDir, "discriminator", manifest.discriminator().file(),
                    manifest.discriminator().sha256());
        }
        if (manifest.discriminatorGradient() != null) {
            checkFile(checks, bundleDir, "discriminatorGradient", manifest.discriminatorGradient().file(),
                    manifest.discriminatorGradient().sha256());
        }
        if (manifest.classifier() != null) {
            checkFile(checks, bundleDir, "classifier", manifest.classifier().file(), manifest.classifier().sha256());
        }
        problems.addAll(checks.problems);
        return problems;
    }

    /** Reads {@code bundleDir/manifest.json}, checks it with its files, and throws if anything is wrong. */
    public static BundleManifest readValid(Path bundleDir) throws IOException {
        BundleManifest manifest = ManifestIo.read(bundleDir.resolve(ManifestIo.FILE_NAME));
        List<ManifestProblem> problems = check(manifest, bundleDir);
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(bundleDir.toString(), problems);
        }
        return manifest;
    }

    private static void checkImage(Checks checks, BundleManifest.Image image) {
        if (image == null) {
            checks.missing("image");
            return;
        }
        checks.requirePositive("image.channels", image.channels());
        checks.requirePositive("image.height", image.height());
        checks.requirePositive("image.width", image.width());
    }

    private static void checkLatent(Checks checks, BundleManifest.Latent latent) {
        if (latent == null) {
            checks.missing("latent");
            return;
        }
        checks.requirePositive("latent.dim", latent.dim());
        String distribution = latent.distribution();
        if (distribution == null || distribution.isBlank()) {
            checks.missing("latent.distribution");
        } else if (distribution.equals(BundleManifest.Latent.UNIFORM)) {
            boolean both = checks.requireFinite("latent.low", latent.low(), "uniform")
                    & checks.requireFinite("latent.high", latent.high(), "uniform");
            if (both && !(latent.low() < latent.high())) {
                checks.add("latent.high", "latent.low must be below latent.high, got low=" + latent.low()
                        + " high=" + latent.high());
            }
        } else if (distribution.equals(BundleManifest.Latent.NORMAL)) {
            checks.requireFinite("latent.mean", latent.mean(), "normal");
            if (checks.requireFinite("latent.std", latent.std(), "normal") && !(latent.std() > 0)) {
                checks.add("latent.std", "latent.std must be positive, was " + latent.std());
            }
        } else {
            checks.add("latent.distribution", "latent.distribution must be \"uniform\" or \"normal\", was \""
                    + distribution + "\"");
        }
    }

    private static void checkNetwork(Checks checks, String field, BundleManifest.Network network) {
        if (network == null) {
            checks.missing(field);
            return;
        }
        checkFileName(checks, field, network.file());
        checkInputOutput(checks, field, network.input(), network.output());
        checkShaFormat(checks, field, network.sha256());
    }

    /** Absent names fall back to the model's first input/output; present-but-blank is a mistake. */
    private static void checkInputOutput(Checks checks, String field, String input, String output) {
        if (input != null && input.isBlank()) {
            checks.add(field + ".input", field + ".input is blank (leave it out to use the model's first input)");
        }
        if (output != null && output.isBlank()) {
            checks.add(field + ".output", field + ".output is blank (leave it out to use the model's first output)");
        }
    }

    private static void checkClassifier(Checks checks, BundleManifest.Classifier classifier) {
        checkFileName(checks, "classifier", classifier.file());
        checkInputOutput(checks, "classifier", classifier.input(), classifier.output());
        checkShaFormat(checks, "classifier", classifier.sha256());
        List<String> classes = classifier.classes();
        if (classes != null) {
            if (classes.isEmpty()) {
                checks.add("classifier.classes", "classifier.classes is empty (leave it out, or name every class in "
                        + "the order of the classifier's outputs)");
            } else if (classes.stream().anyMatch(c -> c == null || c.isBlank())) {
                checks.add("classifier.classes", "classifier.classes has a blank name: " + classes);
            } else if (classes.stream().distinct().count() != classes.size()) {
                checks.add("classifier.classes", "classifier.classes names a class twice: " + classes);
            }
        }
        Double accuracy = classifier.heldOutAccuracy();
        if (accuracy != null && !(accuracy >= 0 && accuracy <= 1)) {
            checks.add("classifier.heldOutAccuracy", "classifier.heldOutAccuracy must lie in [0, 1], was " + accuracy);
        }
    }

    private static void checkFileName(Checks checks, String field, String file) {
        if (file == null || file.isBlank()) {
            checks.missing(field + ".file");
            return;
        }
        Path path = Path.of(file);
        // a bundle is self-contained: a manifest must not point the service at arbitrary files
        if (path.isAbsolute() || path.normalize().startsWith("..")) {
            checks.add(field + ".file", field + ".file must be a path inside the bundle, was \"" + file + "\"");
        }
    }

    private static void checkShaFormat(Checks checks, String field, String sha256) {
        if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
            checks.add(field + ".sha256", field + ".sha256 must be 64 hex digits, was \"" + sha256 + "\"");
        }
    }

    private static void checkFile(Checks checks, Path bundleDir, String field, String file, String expectedSha) {
        if (file == null || file.isBlank()) {
            return; // already reported by check(manifest)
        }
        Path path = bundleDir.resolve(file);
        if (!Files.isRegularFile(path)) {
            checks.add(field + ".file", file + ": does not exist in " + bundleDir + " (" + field + ".file)");
            return;
        }
        if (expectedSha == null || !SHA256_HEX.matcher(expectedSha).matches()) {
            return; // not given, or its format was already reported
        }
        try {
            String actual = Sha256.of(path);
            if (!actual.equalsIgnoreCase(expectedSha)) {
                checks.add(field + ".sha256", file + ": sha256 is " + actual + " but manifest says "
                        + expectedSha.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            checks.add(field + ".file", file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Accumulates problems; the require* helpers return whether the value was present and sound. */
    private static final class Checks {
        final List<ManifestProblem> problems = new ArrayList<>();

        void add(String field, String message) {
            problems.add(new ManifestProblem(field, message));
        }

        void missing(String field) {
            add(field, field + " is missing");
        }

        void requireText(String field, String value) {
            if (value == null || value.isBlank()) {
                missing(field);
            }
        }

        void requirePositive(String field, Integer value) {
            if (value == null) {
                missing(field);
            } else if (value <= 0) {
                add(field, field + " must be positive, was " + value);
            }
        }

        boolean requireFinite(String field, Double value, String distribution) {
            if (value == null) {
                add(field, field + " is missing (required by the " + distribution + " distribution)");
                return false;
            }
            if (!Double.isFinite(value)) {
                add(field, field + " must be a finite number, was " + value);
                return false;
            }
            return true;
        }
    }
}
