package dev.forger.service.robustness;

import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.store.EvaluationStore;
import java.util.List;
import java.util.Objects;

/**
 * A completed evaluation as metrics: its success rate per attack, norm and ε as forger_attack_success_ratio,
 * labelled with the model's name and version; its masking warnings counted in forger_robustness_warnings_total;
 * and, when the store holds an earlier succeeded evaluation of the same model under another version with the
 * same images, goal and resolved attack parameters, the change of each success rate since that version as
 * forger_robustness_regression_ratio — what the dashboard's robustness row and the "less robust than the
 * previous version" alert read. The history comes from the store, so it survives restarts and rollouts.
 */
final class RobustnessMetrics {
    static final String UNBOUNDED = "unbounded";
    /** Succeeded evaluations of the model looked through for the previous version. */
    private static final int HISTORY = 50;

    private RobustnessMetrics() {}

    static void publish(ForgerMetrics metrics, EvaluationStore store, String evaluationId, EvaluationSpec spec,
                        RobustnessReport report) {
        String version = spec.modelVersion() == null ? "unknown" : spec.modelVersion();
        for (RobustnessReport.SweepPoint p : report.sweep()) {
            metrics.attackSuccessRatio(spec.model(), version, p.method(), p.norm(), epsilon(p.epsilon()), p.successRate());
        }
        for (RobustnessReport.MinimalRun m : report.minimal()) {
            metrics.attackSuccessRatio(spec.model(), version, m.method(), "l2", UNBOUNDED, m.successRate());
        }
        if (report.diagnostics() != null) {
            report.diagnostics().forEach(c -> metrics.robustnessChecked(spec.model(), version, c.check(), c.warns()));
        }
        previous(store, evaluationId, spec).ifPresent(before -> {
            for (int r = 0; r < spec.runs().size(); r++) {
                EvaluationSpec.Run run = spec.runs().get(r);
                double now = rate(report, spec, r);
                double then = rate(before.report(), before.spec(), r);
                metrics.robustnessRegression(spec.model(), version, before.spec().modelVersion(), run.method(), run.norm(),
                        run.epsilon() == null ? UNBOUNDED : epsilon(run.epsilon()), now - then);
            }
        });
    }

    private record Earlier(EvaluationSpec spec, RobustnessReport report) {}

    /** The newest succeeded evaluation of another version of the model at the same settings. */
    private static java.util.Optional<Earlier> previous(EvaluationStore store, String evaluationId, EvaluationSpec spec) {
        if (spec.modelVersion() == null) {
            return java.util.Optional.empty();
        }
        for (EvaluationStore.StoredEvaluation stored : store.list(spec.model(), "succeeded", HISTORY)) {
            if (stored.id().equals(evaluationId) || stored.report() == null
                    || Objects.equals(stored.modelVersion(), spec.modelVersion())) {
                continue;
            }
            EvaluationSpec other = UnitResults.read(stored.spec(), EvaluationSpec.class);
            if (sameSettings(spec, other)) {
                return java.util.Optional.of(new Earlier(other, UnitResults.read(stored.report(), RobustnessReport.class)));
            }
        }
        return java.util.Optional.empty();
    }

    /** Same images (source, count, seed), goal and runs with the same resolved parameters. */
    static boolean sameSettings(EvaluationSpec a, EvaluationSpec b) {
        if (a.isManifold() || b.isManifold() || a.goal() != b.goal() || a.runs().size() != b.runs().size()
                || !a.images().source().equals(b.images().source()) || a.images().count() != b.images().count()
                || !Objects.equals(a.images().seed(), b.images().seed())) {
            return false;
        }
        List<EvaluationSpec.Run> x = a.runs();
        List<EvaluationSpec.Run> y = b.runs();
        for (int r = 0; r < x.size(); r++) {
            if (!x.get(r).method().equals(y.get(r).method()) || !x.get(r).norm().equals(y.get(r).norm())
                    || !Objects.equals(x.get(r).epsilon(), y.get(r).epsilon())
                    || x.get(r).parameters() == null || !x.get(r).parameters().equals(y.get(r).parameters())) {
                return false;
            }
        }
        return true;
    }

    /** Run r's success rate: a finished report lists bounded runs in sweep and minimal ones in minimal, in run order. */
    private static double rate(RobustnessReport report, EvaluationSpec spec, int r) {
        int before = 0;
        for (int i = 0; i < r; i++) {
            before += spec.runs().get(i).minimal() == spec.runs().get(r).minimal() ? 1 : 0;
        }
        return spec.runs().get(r).minimal() ? report.minimal().get(before).successRate()
                : report.sweep().get(before).successRate();
    }

    /** ε as a label: its shortest decimal form, so that the same sweep gives the same series every time. */
    static String epsilon(double epsilon) {
        return Double.toString(epsilon);
    }
}
