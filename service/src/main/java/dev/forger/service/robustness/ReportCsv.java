package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.store.EvaluationStore.DoneUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An evaluation's per-image results as CSV: one header row, then one row per image × attack × ε of every
 * finished unit, in the spec's run order and by image. Numbers are Java's shortest exact decimal forms (the
 * floats the store holds), so two runs of the same spec give the same bytes; the file carries no times.
 */
public final class ReportCsv {
    public static final String HEADER = "image,method,norm,epsilon,success,alreadyAtGoal,originalLogit,adversarialLogit,"
            + "originalRealProbability,adversarialRealProbability,linf,l2,gradientCalls,forwardCalls,brokenBy";

    private ReportCsv() {}

    public static String write(EvaluationSpec spec, List<DoneUnit> done) {
        List<DoneUnit> units = new ArrayList<>(done);
        units.sort(Comparator.comparingInt(DoneUnit::runIndex).thenComparingInt(DoneUnit::firstImage));
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (DoneUnit unit : units) {
            EvaluationSpec.Run run = spec.runs().get(unit.runIndex());
            List<ImageOutcome> outcomes = new ArrayList<>(UnitResults.outcomes(unit.results()));
            outcomes.sort(Comparator.comparingInt(ImageOutcome::index));
            for (ImageOutcome r : outcomes) {
                csv.append(r.index()).append(',').append(run.method()).append(',').append(run.norm()).append(',')
                        .append(run.epsilon() == null ? "" : run.epsilon().toString()).append(',')
                        .append(r.success()).append(',').append(r.alreadyAtGoal()).append(',')
                        .append(r.originalLogit()).append(',').append(r.adversarialLogit()).append(',')
                        .append(r.originalProbability()).append(',').append(r.adversarialProbability()).append(',')
                        .append(r.linf()).append(',').append(r.l2()).append(',')
                        .append(r.gradientCalls()).append(',').append(r.forwardCalls()).append(',')
                        .append(r.brokenBy() == null ? "" : r.brokenBy()).append('\n');
            }
        }
        return csv.toString();
    }
}
