package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.store.EvaluationStore.DoneUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report of an evaluation from its finished units: a run appears once all its slices are done,
 * in the spec's order, so the report depends only on the spec and the units' results — not on which
 * replica ran which unit, nor in what order. {@code elapsedMs} is the work time summed over a run's
 * units (the one field that differs between runs of the same spec).
 */
public final class ReportAssembler {
    private ReportAssembler() {}

    public static RobustnessReport assemble(EvaluationSpec spec, List<DoneUnit> done) {
        if (spec.isManifold()) {
            return ManifoldAssembler.assemble(spec, done);
        }
        int count = spec.images().count();
        List<List<DoneUnit>> byRun = new ArrayList<>();
        for (int r = 0; r < spec.runs().size(); r++) {
            byRun.add(new ArrayList<>());
        }
        for (DoneUnit unit : done) {
            byRun.get(unit.runIndex()).add(unit);
        }
        List<RobustnessReport.SweepPoint> sweep = new ArrayList<>();
        List<RobustnessReport.MinimalRun> minimal = new ArrayList<>();
        Double[] smallestL2 = new Double[count];
        List<MaskingDiagnostics.RunResults> finished = new ArrayList<>();
        List<RobustnessReport.TransferPoint> transfer = new ArrayList<>();
        for (int r = 0; r < spec.runs().size(); r++) {
            List<DoneUnit> units = byRun.get(r);
            if (units.size() < spec.slices()) {
                continue; // still running: partial reports show whole runs only
            }
            List<ImageOutcome> results = new ArrayList<>(count);
            long elapsedMs = 0;
            for (DoneUnit unit : units) {
                results.addAll(UnitResults.outcomes(unit.results()));
                elapsedMs += unit.elapsedMs();
            }
            results.sort(Comparator.comparingInt(ImageOutcome::index));
            EvaluationSpec.Run run = spec.runs().get(r);
            if (spec.transfers()) {
                transfer.add(transferPoint(spec, run, units));
            }
            finished.add(new MaskingDiagnostics.RunResults(run, List.copyOf(results)));
            if (run.minimal()) {
                minimal.add(minimalRun(run, results, smallestL2, elapsedMs));
            } else {
                sweep.add(sweepPoint(run, results, elapsedMs));
            }
        }
        List<MaskingDiagnostics.Check> checks = MaskingDiagnostics.check(finished, count);
        return new RobustnessReport(spec.model(), spec.images(), spec.goal().name().toLowerCase(Locale.ROOT),
                spec.epsilons(), List.copyOf(sweep), List.copyOf(minimal),
                minimal.isEmpty() ? null : Arrays.asList(smallestL2), null, checks,
                checks.stream().filter(MaskingDiagnostics.Check::warns).toList(),
                spec.transfers() ? List.copyOf(transfer) : null);
    }

    /** A run's success on the source and on every target, over all its units' images. */
    private static RobustnessReport.TransferPoint transferPoint(EvaluationSpec spec, EvaluationSpec.Run run,
                                                               List<DoneUnit> units) {
        java.util.Map<String, Double> rates = new java.util.LinkedHashMap<>();
        int images = 0;
        int sourceBroken = 0;
        int[] targetBroken = new int[spec.transferTo().size()];
        for (DoneUnit unit : units) {
            TransferScores scores = UnitResults.transfer(unit.results());
            if (scores == null) {
                throw new IllegalStateException("unit " + unit.seq() + " of a transfer evaluation has no transfer scores");
            }
            for (int k = 0; k < scores.outcomes().size(); k++) {
                images++;
                sourceBroken += scores.outcomes().get(k).success() ? 1 : 0;
                for (int t = 0; t < targetBroken.length; t++) {
                    targetBroken[t] += scores.transferred(spec.transferTo().get(t).name(), k, spec.goal()) ? 1 : 0;
                }
            }
        }
        rates.put(spec.model(), (double) sourceBroken / images);
        for (int t = 0; t < targetBroken.length; t++) {
            rates.put(spec.transferTo().get(t).name(), (double) targetBroken[t] / images);
        }
        return new RobustnessReport.TransferPoint(run.method(), run.norm(), run.epsilon(), rates);
    }

    private static RobustnessReport.SweepPoint sweepPoint(EvaluationSpec.Run run, List<ImageOutcome> results, long elapsedMs) {
        return new RobustnessReport.SweepPoint(run.method(), run.norm(), run.epsilon(),
                Statistics.successRate(results),
                Statistics.mean(results, ImageOutcome::originalProbability),
                Statistics.mean(results, ImageOutcome::adversarialProbability),
                Statistics.median(results, ImageOutcome::originalProbability),
                Statistics.median(results, ImageOutcome::adversarialProbability),
                Statistics.mean(results, ImageOutcome::linf), Statistics.mean(results, ImageOutcome::l2),
                Statistics.mean(results, ImageOutcome::gradientCalls), Statistics.mean(results, ImageOutcome::forwardCalls),
                elapsedMs);
    }

    private static RobustnessReport.MinimalRun minimalRun(EvaluationSpec.Run run, List<ImageOutcome> results,
                                                          Double[] smallestL2, long elapsedMs) {
        List<Double> l2 = new ArrayList<>(results.size());
        for (ImageOutcome r : results) {
            l2.add(r.success() ? r.l2() : null);
            if (r.success() && (smallestL2[r.index()] == null || r.l2() < smallestL2[r.index()])) {
                smallestL2[r.index()] = r.l2();
            }
        }
        double[] successful = l2.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        return new RobustnessReport.MinimalRun(run.method(), Statistics.successRate(results),
                successful.length == 0 ? null : Statistics.median(successful), l2,
                Statistics.mean(results, ImageOutcome::gradientCalls), Statistics.mean(results, ImageOutcome::forwardCalls),
                elapsedMs);
    }
}
