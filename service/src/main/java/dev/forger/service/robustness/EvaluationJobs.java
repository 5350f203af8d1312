package dev.forger.service.robustness;

import dev.forger.graph.manifest.Sha256;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.security.Quota;
import dev.forger.service.security.Quotas;
import dev.forger.service.store.EvaluationStore;
import dev.forger.service.store.EvaluationStore.StoredEvaluation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Evaluations as the API sees them: submitted into the shared store as units that any replica's
 * {@link EvaluationWorkers} run, read back (progress, partial report, chart) from the store on
 * whichever replica is asked, cancelled for every replica at once, listed as history.
 */
@ApplicationScoped
public class EvaluationJobs {
    private final EvaluationStore store;
    private final AttackService attacks;
    private final EvaluationWorkers workers;
    private final ForgerConfig.Evaluation settings;
    private final String forgerVersion;
    @Inject
    Quotas quotas;

    public EvaluationJobs(EvaluationStore store, AttackService attacks, EvaluationWorkers workers, ForgerConfig config,
                          @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String forgerVersion) {
        this.store = store;
        this.attacks = attacks;
        this.workers = workers;
        this.settings = config.evaluation();
        this.forgerVersion = forgerVersion;
    }

    /**
     * Plans the evaluation (every attack resolved: a bad parameter is refused now), stores it with its
     * images and queued units, and wakes this replica's workers.
     *
     * @param images {@code count} images, NCHW in [-1, 1]
     * @throws QueueFullException when the store holds forger.evaluation.max-queued-units queued units
     */
    public EvaluationJob submit(LoadedModel model, float[] images, RobustnessReport.ImageSource source,
                                List<AttackRequest> attackRequests, List<Double> epsilons, Goal goal, long seed) {
        return submit(model, images, source, attackRequests, epsilons, goal, seed, List.of(), null);
    }

    /**
     * As {@link #submit(LoadedModel, float[], RobustnessReport.ImageSource, List, List, Goal, long)}, every
     * adversarial image also scored on {@code transferTo} (models of the same image shape), recording {@code owner}
     * (the caller's principal; null when identity is off).
     */
    public EvaluationJob submit(LoadedModel model, float[] images, RobustnessReport.ImageSource source,
                                List<AttackRequest> attackRequests, List<Double> epsilons, Goal goal, long seed,
                                List<LoadedModel> transferTo, String owner) {
        ModelIdentity identity = ModelIdentity.of(model);
        byte[] bytes = ImageBytes.of(images);
        EvaluationSpec spec = EvaluationPlan.spec(model, identity, source.withSha256(Sha256.of(bytes)),
                attackRequests, epsilons, goal, seed, settings.unitImages(), attacks).withFiles(model.files().stream()
                        .map(f -> new EvaluationSpec.BundleFile(f.role(), f.file(), f.sha256())).toList())
                .withTransferTo(transferTo.stream().map(ModelIdentity::of).toList());
        List<EvaluationStore.UnitPlan> units = EvaluationPlan.units(spec);
        quotas.charge(Quota.EVALUATION_UNITS, units.size());
        String id = store.create(new EvaluationStore.NewEvaluation(model.name(), identity.version(), identity.sha256(),
                forgerVersion, seed, UnitResults.write(spec), bytes, units, owner),
                settings.maxQueuedUnits());
        workers.wake();
        return get(id).orElseThrow(() -> new IllegalStateException("evaluation " + id + " vanished after it was stored"));
    }

    /**
     * Stores an on/off-manifold evaluation of generated digits ({@code images} = G(z) of the source's seed) with its
     * units, one search × one slice each, and wakes this replica's workers.
     *
     * @throws QueueFullException when the store holds forger.evaluation.max-queued-units queued units
     */
    public EvaluationJob submitManifold(LoadedModel model, float[] images, RobustnessReport.ImageSource source,
                                        ManifoldPlan plan, long seed) {
        return submitManifold(model, images, source, plan, seed, null);
    }

    /** As above, recording {@code owner} (the caller's principal; null when identity is off). */
    public EvaluationJob submitManifold(LoadedModel model, float[] images, RobustnessReport.ImageSource source,
                                        ManifoldPlan plan, long seed, String owner) {
        ModelIdentity identity = ModelIdentity.of(model);
        EvaluationSpec spec = new EvaluationSpec(model.name(), identity.version(), identity.sha256(), source, Goal.FLIP,
                seed, List.of(), plan.requests(seed), plan.runs(seed), settings.unitImages(), plan);
        List<EvaluationStore.UnitPlan> units = EvaluationPlan.units(spec);
        quotas.charge(Quota.EVALUATION_UNITS, units.size());
        String id = store.create(new EvaluationStore.NewEvaluation(model.name(), identity.version(), identity.sha256(),
                forgerVersion, seed, UnitResults.write(spec), ImageBytes.of(images), units, owner),
                settings.maxQueuedUnits());
        workers.wake();
        return get(id).orElseThrow(() -> new IllegalStateException("evaluation " + id + " vanished after it was stored"));
    }

    /**
     * The rows of an on/off-manifold evaluation's finished searches, per search in run order (null for a search
     * still running), with the returned points of the first images: what its gallery draws.
     */
    public List<List<ManifoldRow>> manifoldRows(EvaluationJob job) {
        return ManifoldAssembler.rows(job.spec(), store.doneUnits(job.id()));
    }

    /**
     * The per-image results of a robustness evaluation's finished units as CSV ({@link ReportCsv}).
     *
     * @throws dev.forger.service.problem.ClientProblem for an on/off-manifold evaluation (its rows are searches)
     */
    public String csv(EvaluationJob job) {
        if (job.spec().isManifold()) {
            throw new dev.forger.service.problem.ClientProblem(dev.forger.service.problem.ProblemType.NOT_FOUND, "id",
                    "evaluation " + job.id() + " is an on/off-manifold evaluation: its per-digit results are in its"
                    + " report's manifold.searches; report.csv lists attack sweeps (image × attack × epsilon)");
        }
        return ReportCsv.write(job.spec(), job.unitsDone() == 0 ? List.of() : store.doneUnits(job.id()));
    }

    public Optional<EvaluationJob> get(String id) {
        return store.find(id).map(stored -> view(stored, true));
    }

    /**
     * Cancels a queued or running evaluation on every replica (each stops its units at its next
     * heartbeat), or deletes a finished one.
     *
     * @return the evaluation after the call; empty when it was unknown or has been deleted
     */
    public Optional<EvaluationJob> delete(String id) {
        Optional<StoredEvaluation> stored = store.find(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (store.cancel(id)) {
            return get(id);
        }
        store.delete(id);
        return Optional.empty();
    }

    public boolean exists(String id) {
        return store.find(id).isPresent();
    }

    /** Past and present evaluations, newest first, with their final reports (null until they succeed). */
    public List<EvaluationJob> list(String model, EvaluationJob.State state, int limit) {
        return list(model, state, limit, null);
    }

    /** As above, only {@code owner}'s when not null. */
    public List<EvaluationJob> list(String model, EvaluationJob.State state, int limit, String owner) {
        return store.list(model, state == null ? null : state.label(), limit, owner).stream().map(s -> view(s, false))
                .toList();
    }

    private EvaluationJob view(StoredEvaluation stored, boolean partialReport) {
        EvaluationSpec spec = UnitResults.read(stored.spec(), EvaluationSpec.class);
        RobustnessReport report = stored.report() != null ? UnitResults.read(stored.report(), RobustnessReport.class)
                : partialReport ? ReportAssembler.assemble(spec, stored.unitsDone() == 0 ? List.of() : store.doneUnits(stored.id()))
                : null;
        return new EvaluationJob(stored.id(), EvaluationJob.State.of(stored.state()), stored.created(), stored.started(),
                stored.finished(), stored.error(), stored.unitsDone(), stored.unitsTotal(), stored.leases(), spec,
                stored.forgerVersion(), report, stored.owner());
    }
}
