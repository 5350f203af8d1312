package dev.forger.trainer.export;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the verification of a bundle measured: the numeric checks of its ONNX models against the
 * DL4J nets, and any problem with the manifest or its checksums.
 *
 * @param checks           numeric comparisons
 * @param manifestProblems problems {@code ManifestValidator} found in the written bundle (empty when valid)
 */
public record VerificationReport(List<Comparison> checks, List<String> manifestProblems) {
    public VerificationReport {
        checks = List.copyOf(checks);
        manifestProblems = List.copyOf(manifestProblems);
    }

    public boolean passed() {
        return manifestProblems.isEmpty() && !checks.isEmpty() && checks.stream().allMatch(Comparison::passed);
    }

    /** The checks that failed, one line each, plus the manifest problems. */
    public List<String> failures() {
        List<String> failed = new java.util.ArrayList<>(checks.stream().filter(c -> !c.passed())
                .map(Comparison::describe).toList());
        manifestProblems.forEach(p -> failed.add("manifest: " + p));
        return failed;
    }

    /** A few lines for a terminal: every check and the manifest's state. */
    public String summary() {
        String lines = checks.stream().map(c -> "  " + c.describe()).collect(Collectors.joining(System.lineSeparator()));
        String manifest = manifestProblems.isEmpty() ? "  manifest valid, sha256 of every file matches"
                : manifestProblems.stream().map(p -> "  manifest: " + p).collect(Collectors.joining(System.lineSeparator()));
        return lines + System.lineSeparator() + manifest;
    }
}
