package dev.forger.service.registry;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The bundles being served. At startup it loads every bundle under {@code forger.models.dir}
 * (sub-folders with a manifest.json, and .zip files; or the folder itself when it holds a manifest.json,
 * for an operator who points it at one bundle) and then the one embedded in the jar, unless a bundle of
 * the same name was found in the folder (which lets an operator override it). A bad bundle is refused
 * with one log line saying why, counted in forger_models_refused and shown by readiness and
 * /api/v1/models; the others serve.
 */
@Startup
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    /** A bundle that was found but not served. */
    public record Refusal(String source, String reason) {}

    private final ForgerConfig config;
    private final ForgerMetrics metrics;
    private final List<Path> temporaryCopies = new ArrayList<>();
    private volatile Map<String, LoadedModel> models = Map.of();
    private volatile List<Refusal> refusals = List.of();
    /** Replaced or unloaded models waiting to be idle before they close (see {@link #retire}). */
    private final Retirement retirement = new Retirement();

    public ModelRegistry(ForgerConfig config, ForgerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @PostConstruct
    void loadAll() {
        ForgerConfig.Batching b = config.batching();
        BundleLoader loader = new BundleLoader(OrtEnvironment.getEnvironment(),
                new BatchingSettings(b.maxBatchSize(), b.maxDelay(), b.queueCapacity()),
                config.ort().intraOpThreads(), metrics);
        Map<String, LoadedModel> loaded = new LinkedHashMap<>();
        List<Refusal> refused = new ArrayList<>();
        config.models().dir().ifPresent(dir -> loadFolder(dir, loader, loaded, refused));
        loadEmbedded(loader, loaded, refused);
        models = java.util.Collections.unmodifiableMap(loaded); // keeps load order for /models
        refusals = List.copyOf(refused);
        metrics.modelsLoaded(() -> models.size());
        metrics.modelsRefused(() -> refusals.size());
        String defaultName = defaultModelName();
        if (loaded.containsKey(defaultName)) {
            LOG.infof("serving %d model(s) %s; default '%s'", loaded.size(), loaded.keySet(), defaultName);
        } else {
            LOG.warnf("the default model '%s' is not loaded (%s); readiness stays DOWN", defaultName,
                    notReadyReason());
        }
    }

    private void loadFolder(Path dir, BundleLoader loader, Map<String, LoadedModel> loaded, List<Refusal> refused) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("forger.models.dir=%s is not a directory; no bundles loaded from it", dir);
            return;
        }
        if (Files.isRegularFile(dir.resolve(ManifestIo.FILE_NAME))) {
            // the folder of one bundle rather than the folder of bundles: serve it, and say how it was read
            LOG.infof("forger.models.dir=%s holds a %s itself: serving it as one bundle (point forger.models.dir"
                    + " at its parent folder to serve several)", dir, ManifestIo.FILE_NAME);
            try {
                register(loader.load(dir, dir.toString()), loaded);
            } catch (BundleRefusedException e) {
                refuse(refused, e);
            }
            return;
        }
        int before = loaded.size() + refused.size();
        loadChildren(dir, loader, loaded, refused);
        if (loaded.size() + refused.size() == before) {
            LOG.warnf("forger.models.dir=%s holds no bundle: no sub-folder with a %s and no .zip file. Put each"
                    + " bundle in a sub-folder of it (or a .zip), or point it at one bundle's folder", dir,
                    ManifestIo.FILE_NAME);
        }
    }

    private void loadChildren(Path dir, BundleLoader loader, Map<String, LoadedModel> loaded, List<Refusal> refused) {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            LOG.errorf("forger.models.dir=%s cannot be listed: %s", dir, e.getMessage());
            return;
        }
        for (Path child : children) {
            String source = child.toString();
            try {
                Path bundleDir;
                if (Files.isDirectory(child)) {
                    if (!Files.isRegularFile(child.resolve(ManifestIo.FILE_NAME))) {
                        LOG.debugf("%s: no %s, not a bundle", child, ManifestIo.FILE_NAME);
                        continue;
                    }
                    bundleDir = child;
                } else if (child.getFileName().toString().endsWith(".zip")) {
                    bundleDir = BundleFiles.extractZip(child, temporaryDirectory());
                } else {
                    continue;
                }
                register(loader.load(bundleDir, source), loaded);
            } catch (IOException e) {
                refuse(refused, new BundleRefusedException(source, e.getMessage()));
            } catch (BundleRefusedException e) {
                refuse(refused, e);
            }
        }
    }

    private void loadEmbedded(BundleLoader loader, Map<String, LoadedModel> loaded, List<Refusal> refused) {
        String folder = config.models().embedded();
        String source = "classpath:" + folder;
        try {
            Path into = temporaryDirectory();
            Optional<Path> copy = BundleFiles.copyFromClasspath(folder, into);
            if (copy.isEmpty()) {
                LOG.infof("no embedded bundle at %s (the trained default is not packaged yet);"
                        + " serving only bundles from forger.models.dir", source);
                return;
            }
            String name = ManifestIo.read(copy.get().resolve(ManifestIo.FILE_NAME)).name();
            if (name != null && loaded.containsKey(name)) {
                LOG.infof("embedded bundle '%s' is overridden by %s", name, loaded.get(name).source());
                return;
            }
            register(loader.load(copy.get(), source), loaded);
        } catch (IOException e) {
            refuse(refused, new BundleRefusedException(source, e.getMessage()));
        } catch (BundleRefusedException e) {
            refuse(refused, e);
        }
    }

    private void register(LoadedModel model, Map<String, LoadedModel> loaded) {
        LoadedModel earlier = loaded.get(model.name());
        if (earlier != null) {
            model.close();
            throw new BundleRefusedException(model.source(), "model name '" + model.name()
                    + "' is already served from " + earlier.source());
        }
        loaded.put(model.name(), model);
        metrics.modelServed(model.name());
        LOG.infof("loaded model '%s' version %s from %s (image %s, latent %d %s)", model.name(),
                model.manifest().version(), model.source(), model.imageShape(), model.latentDim(),
                model.manifest().latent().distribution());
    }

    private static void refuse(List<Refusal> refused, BundleRefusedException e) {
        LOG.errorf("refusing bundle %s: %s", e.source(), e.reason());
        refused.add(new Refusal(e.source(), e.reason()));
    }

    private Path temporaryDirectory() throws IOException {
        Path dir = Files.createTempDirectory("forger-bundle-");
        temporaryCopies.add(dir);
        return dir;
    }

    @PreDestroy
    void close() {
        retirement.closeAll();
        models.values().forEach(LoadedModel::close);
        temporaryCopies.forEach(BundleFiles::deleteQuietly);
    }

    public String defaultModelName() {
        return config.models().defaultModel();
    }

    public Collection<LoadedModel> all() {
        return models.values();
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    /** Whether the default model is loaded; loading includes a successful warm-up inference. */
    public boolean defaultReady() {
        return models.containsKey(defaultModelName());
    }

    /** Why {@link #defaultReady()} is false, for the readiness check. */
    public String notReadyReason() {
        String name = defaultModelName();
        return refusals.stream().filter(r -> r.reason() != null && r.source().contains(name)).findFirst()
                .map(r -> "bundle " + r.source() + " was refused: " + r.reason())
                .orElse("no bundle named '" + name + "' was found (loaded: " + models.keySet()
                        + "; set forger.models.default or add the bundle to forger.models.dir)");
    }

    /**
     * The model a request names, or the default for null/blank.
     *
     * @throws ClientProblem 404 naming the models there are, or 503 when the default is missing
     */
    public LoadedModel get(String name) {
        if (name == null || name.isBlank()) {
            LoadedModel model = models.get(defaultModelName());
            if (model == null) {
                throw new ClientProblem(ProblemType.MODEL_NOT_READY, "model", "the default model '"
                        + defaultModelName() + "' is not loaded: " + notReadyReason()
                        + (models.isEmpty() ? "" : ". Name one of " + models.keySet() + " with model=…"));
            }
            return model;
        }
        LoadedModel model = models.get(name);
        if (model == null) {
            throw new ClientProblem(ProblemType.UNKNOWN_MODEL, "model", "no model named '" + name
                    + "'; the models served are " + models.keySet() + " (GET /api/v1/models lists them)");
        }
        return model;
    }

    // --- loading and unloading at run time (the model repository extension of oip/) -----------------------

    /**
     * Loads the bundle at {@code source} (a bundle folder or a .zip) and serves it, replacing a bundle of the
     * same name once the new one has passed validation and its warm-up inference: requests never see a
     * half-loaded model, and a bundle that is refused leaves the one being served as it was. The replaced
     * model keeps answering the requests that hold it and closes once idle.
     *
     * @throws BundleRefusedException saying why the bundle cannot be served
     */
    public synchronized LoadedModel load(Path source) {
        String where = source.toString();
        Path temporary = null;
        LoadedModel model;
        try {
            Path bundleDir = source;
            if (!Files.isDirectory(source)) { // as loadFolder reads a .zip: extracted to a temporary folder
                temporary = temporaryDirectory();
                bundleDir = BundleFiles.extractZip(source, temporary);
            }
            model = runtimeLoader().load(bundleDir, where);
        } catch (IOException | BundleRefusedException e) {
            BundleRefusedException refused = e instanceof BundleRefusedException b ? b
                    : new BundleRefusedException(where, e.getMessage());
            List<Refusal> updated = new ArrayList<>(refusals);
            updated.removeIf(r -> r.source().equals(where)); // the latest reason only
            refuse(updated, refused);
            refusals = List.copyOf(updated);
            if (temporary != null) {
                temporaryCopies.remove(temporary);
                BundleFiles.deleteQuietly(temporary);
            }
            throw refused;
        }
        Map<String, LoadedModel> updated = new LinkedHashMap<>(models);
        LoadedModel replaced = updated.put(model.name(), model);
        models = java.util.Collections.unmodifiableMap(updated);
        metrics.modelServed(model.name());
        refusals = refusals.stream().filter(r -> !r.source().equals(where)).toList();
        LOG.infof("loaded model '%s' version %s from %s at run time%s", model.name(), model.manifest().version(),
                where, replaced == null ? "" : ", replacing version " + replaced.manifest().version()
                        + " from " + replaced.source());
        if (replaced != null) {
            retire(replaced);
        }
        if (temporary != null) {
            retirement.deleteWhenClosed(model, temporary);
        }
        return model;
    }

    /**
     * Stops serving the bundle {@code name}; requests that already hold it finish, then it closes.
     *
     * @return false when no bundle of that name is served
     * @throws IllegalArgumentException for the default model, which readiness depends on
     */
    public synchronized boolean unload(String name) {
        if (name.equals(defaultModelName())) {
            throw new IllegalArgumentException("'" + name + "' is the default model (forger.models.default), which"
                    + " readiness depends on; it can be reloaded but not unloaded");
        }
        LoadedModel model = models.get(name);
        if (model == null) {
            return false;
        }
        Map<String, LoadedModel> updated = new LinkedHashMap<>(models);
        updated.remove(name);
        models = java.util.Collections.unmodifiableMap(updated);
        LOG.infof("unloaded model '%s' (from %s)", name, model.source());
        retire(model);
        return true;
    }

    private void retire(LoadedModel model) {
        retirement.add(model);
    }

    private BundleLoader runtimeLoader() {
        ForgerConfig.Batching b = config.batching();
        return new BundleLoader(OrtEnvironment.getEnvironment(),
                new BatchingSettings(b.maxBatchSize(), b.maxDelay(), b.queueCapacity()),
                config.ort().intraOpThreads(), metrics);
    }
}
