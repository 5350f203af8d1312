package dev.forger.graph.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** A bundle that must not be served, with every problem found (not only the first). */
public class InvalidManifestException extends RuntimeException {
    private final transient List<ManifestProblem> problems;

    public InvalidManifestException(String bundle, List<ManifestProblem> problems) {
        super(bundle + ": " + problems.stream().map(ManifestProblem::message).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ManifestProblem> problems() {
        return problems;
    }
}
