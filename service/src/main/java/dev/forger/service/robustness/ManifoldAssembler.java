package dev.forger.service.robustness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.forger.service.store.EvaluationStore.DoneUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report of an on/off-manifold evaluation from its finished units, as {@link ReportAssembler} does for attack
 * sweeps: a search appears once all its slices are done, in the plan's order, whichever replica ran them.
 */
final class ManifoldAssembler {
    private ManifoldAssembler() {}

    static RobustnessReport assemble(EvaluationSpec spec, List<DoneUnit> done) {
        List<ManifoldSearch> searches = spec.manifold().searches(spec.seed());
        List<ManifoldReport.Search> summaries = new ArrayList<>();
        List<List<ManifoldRow>> rows = rows(spec, done);
        for (int r = 0; r < searches.size(); r++) {
            if (rows.get(r) == null) {
                continue; // still running: partial reports show whole searches only
            }
            summaries.add(ManifoldReport.summarise(searches.get(r), rows.get(r), elapsed(done, r)));
        }
        ManifoldReport manifold = new ManifoldReport(spec.model(), spec.images(), spec.manifold().norm(),
                List.copyOf(summaries));
        return new RobustnessReport(spec.model(), spec.images(), spec.goal().name().toLowerCase(java.util.Locale.ROOT),
                List.of(), List.of(), List.of(), null, manifold);
    }

    /** Per search its rows in image order, or null for a search whose slices are not all done. */
    static List<List<ManifoldRow>> rows(EvaluationSpec spec, List<DoneUnit> done) {
        int runs = spec.runs().size();
        List<List<ManifoldRow>> rows = new ArrayList<>();
        int[] slices = new int[runs];
        for (int r = 0; r < runs; r++) {
            rows.add(new ArrayList<>());
        }
        for (DoneUnit unit : done) {
            rows.get(unit.runIndex()).addAll(read(unit.results()));
            slices[unit.runIndex()]++;
        }
        for (int r = 0; r < runs; r++) {
            if (slices[r] < spec.slices()) {
                rows.set(r, null);
            } else {
                rows.get(r).sort(Comparator.comparingInt(ManifoldRow::index));
            }
        }
        return rows;
    }

    private static long elapsed(List<DoneUnit> done, int run) {
        return done.stream().filter(u -> u.runIndex() == run).mapToLong(DoneUnit::elapsedMs).sum();
    }

    static List<ManifoldRow> read(String json) {
        try {
            return UnitResults.JSON.readValue(json, new TypeReference<List<ManifoldRow>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the evaluation store holds unreadable manifold rows: " + e.getOriginalMessage(), e);
        }
    }
}
