package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.store.EvaluationStore.DoneUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An evaluation's per-image results as CSV: one header row, then one row per image × attack × ε of every
 * finished unit, in the spec's run order and by image. Numbers are Java's shortest exact decimal forms (the
 * floats the store holds), so two runs of the same spec give the same bytes; the file carries no times. An
 * evaluation that transfers adds, per target model, its logits of the original and of the adversarial image and
 * whether that meets the attack's goal there ({@code <target>:originalLogit}, {@code <target>:adversarialLogit},
 * {@code <target>:transferred}; see {@link TransferScores}).
 */
public final class ReportCsv {
    public static final String HEADER = "image,method,norm,epsilon,success,alreadyAtGoal,originalLogit,adversarialLogit,"
            + "originalRealProbability,adversarialRealProbability,linf,l2,gradientCalls,forwardCalls,brokenBy";

    private ReportCsv() {}

    public static String write(EvaluationSpec spec, List<DoneUnit> done) {
        List<DoneUnit> units = new ArrayList<>(done);
        units.sort(Comparator.comparingInt(DoneUnit::runIndex).thenComparingInt(DoneUnit::firstImage));
        StringBuilder csv = new StringBuilder(HEADER);
        List<String> targets = spec.transfers() ? spec.transferTo().stream().map(ModelIdentity::name).toList() : List.of();
        for (String target : targets) {
            csv.append(',').append(target).append(":originalLogit,").append(target).append(":adversarialLogit,").append(target).append(":transferred");
        }
        csv.append('\n');
        for (DoneUnit unit : units) {
            EvaluationSpec.Run run = spec.runs().get(unit.runIndex());
            TransferScores transfer = targets.isEmpty() ? null : UnitResults.transfer(unit.results());
            List<ImageOutcome> outcomes = UnitResults.outcomes(unit.results()); // in image order: units store them so
            for (int k = 0; k < outcomes.size(); k++) {
                ImageOutcome r = outcomes.get(k);
                csv.append(r.index()).append(',').append(run.method()).append(',').append(run.norm()).append(',')
                        .append(run.epsilon() == null ? "" : run.epsilon().toString()).append(',')
                        .append(r.success()).append(',').append(r.alreadyAtGoal()).append(',')
                        .append(r.originalLogit()).append(',').append(r.adversarialLogit()).append(',')
                        .append(r.originalProbability()).append(',').append(r.adversarialProbability()).append(',')
                        .append(r.linf()).append(',').append(r.l2()).append(',')
                        .append(r.gradientCalls()).append(',').append(r.forwardCalls()).append(',')
                        .append(r.brokenBy() == null ? "" : r.brokenBy());
                for (String target : targets) {
                    TransferScores.Logits scored = transfer.transfer().get(target);
                    csv.append(',').append(scored.original()[k]).append(',').append(scored.adversarial()[k]).append(',')
                            .append(transfer.transferred(target, k, spec.goal()));
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }
}
