package dev.forger.service.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.registry.BundleRefusedException;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The model repository extension over {@code forger.models.dir}: which bundles the folder holds (served or
 * not), and loading, reloading or unloading one at run time through the registry. A bundle's two protocol
 * models load and unload together; the load and unload calls take the bundle's name or either model's.
 * Refuses everything unless {@code forger.oip.repository.enabled}.
 */
@ApplicationScoped
public class ModelRepository {
    /** States reported by the index. */
    public static final String READY = "READY";
    public static final String UNAVAILABLE = "UNAVAILABLE";

    /** One index entry: a protocol model of a bundle found in the folder (no version when unreadable). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String name, String version, String state, String reason) {}

    /** A bundle found in the folder: its manifest's name and version, or why it cannot be read. */
    private record Candidate(Path source, String name, String version, String unreadable) {}

    private final ModelRegistry registry;
    private final ForgerConfig forger;
    private final OipConfig config;

    public ModelRepository(ModelRegistry registry, ForgerConfig forger, OipConfig config) {
        this.registry = registry;
        this.forger = forger;
        this.config = config;
    }

    /** Every model of every bundle in the folder, and those served from elsewhere (the embedded one). */
    public List<Entry> index(boolean readyOnly) {
        requireEnabled();
        List<Entry> entries = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        for (Candidate c : candidates()) {
            if (c.unreadable() != null) {
                if (!readyOnly) {
                    entries.add(new Entry(c.source().getFileName().toString(), null, UNAVAILABLE, c.unreadable()));
                }
                continue;
            }
            Optional<LoadedModel> served = served(c.name());
            boolean ready = served.isPresent() && served.get().source().equals(c.source().toString());
            String reason = ready ? "" : served.map(m -> "a bundle of this name is served from " + m.source())
                    .orElseGet(() -> refusal(c.source()).orElse("not loaded"));
            for (OipModel.Role role : OipModel.Role.values()) {
                if (ready || !readyOnly) {
                    entries.add(new Entry(OipModel.nameOf(c.name(), role), c.version(), ready ? READY : UNAVAILABLE,
                            reason));
                }
            }
            listed.add(c.name());
        }
        for (LoadedModel model : registry.all()) {
            if (!listed.contains(model.name())) {
                for (OipModel.Role role : OipModel.Role.values()) {
                    entries.add(new Entry(OipModel.nameOf(model.name(), role), model.manifest().version(), READY,
                            "served from " + model.source()));
                }
            }
        }
        return entries;
    }

    /**
     * Loads, or reloads, the bundle a name designates from the folder.
     *
     * @throws OipException NOT_FOUND when the folder holds no such bundle, BAD_REQUEST when it is refused
     */
    public LoadedModel load(String name) {
        requireEnabled();
        List<Candidate> candidates = candidates();
        Candidate bundle = candidates.stream().filter(c -> c.name() != null && designates(name, c.name()))
                .findFirst().orElseThrow(() -> new OipException(OipException.Kind.NOT_FOUND, "forger.models.dir ("
                        + forger.models().dir().map(Path::toString).orElse("not set") + ") holds no bundle named '"
                        + bundleName(name) + "'; it holds " + candidates.stream().map(Candidate::name)
                        .filter(n -> n != null).toList() + " (POST /v2/repository/index lists them)"));
        try {
            return registry.load(bundle.source());
        } catch (BundleRefusedException e) {
            throw OipException.badRequest("bundle '" + bundle.name() + "' (" + e.source() + ") was not loaded: "
                    + e.reason() + "; the models served are unchanged");
        }
    }

    /** @throws OipException NOT_FOUND when no such bundle is served, BAD_REQUEST for the default model */
    public void unload(String name) {
        requireEnabled();
        String bundle = served(bundleName(name)).map(LoadedModel::name).orElseThrow(() -> new OipException(
                OipException.Kind.NOT_FOUND, "no model named '" + name + "' is served; the bundles served are "
                + registry.all().stream().map(LoadedModel::name).toList()));
        try {
            registry.unload(bundle);
        } catch (IllegalArgumentException e) {
            throw OipException.badRequest(e.getMessage());
        }
    }

    private void requireEnabled() {
        if (!config.repository().enabled()) {
            throw new OipException(OipException.Kind.FORBIDDEN, "the model repository extension is off: it changes"
                    + " what is served; set forger.oip.repository.enabled=true (FORGER_OIP_REPOSITORY_ENABLED) to"
                    + " load and unload bundles of forger.models.dir at run time");
        }
    }

    private Optional<LoadedModel> served(String bundle) {
        return registry.all().stream().filter(m -> m.name().equals(bundle)).findFirst();
    }

    private Optional<String> refusal(Path source) {
        return registry.refusals().stream().filter(r -> r.source().equals(source.toString()))
                .map(r -> "refused: " + r.reason()).findFirst();
    }

    /** {@code <bundle>}, {@code <bundle>-generator} or {@code <bundle>-discriminator}. */
    private static boolean designates(String name, String bundle) {
        if (name.equals(bundle)) {
            return true;
        }
        for (OipModel.Role role : OipModel.Role.values()) {
            if (name.equals(OipModel.nameOf(bundle, role))) {
                return true;
            }
        }
        return false;
    }

    private String bundleName(String name) {
        for (OipModel.Role role : OipModel.Role.values()) {
            String suffix = "-" + role.suffix();
            if (name.endsWith(suffix) && served(name).isEmpty()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /**
     * The bundles in the folder, as the registry finds them at start-up: sub-folders with a manifest and .zip
     * files (or the folder itself alone when it holds a manifest), each with its manifest's name and version.
     */
    private List<Candidate> candidates() {
        Optional<Path> dir = forger.models().dir();
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return List.of();
        }
        if (Files.isRegularFile(dir.get().resolve(ManifestIo.FILE_NAME))) {
            return List.of(candidate(dir.get())); // the folder of one bundle, as the registry serves it
        }
        List<Path> places = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir.get())) {
            children.sorted().filter(c -> Files.isRegularFile(c.resolve(ManifestIo.FILE_NAME))
                    || c.getFileName().toString().endsWith(".zip")).forEach(places::add);
        } catch (IOException e) {
            throw new OipException(OipException.Kind.BAD_REQUEST, "forger.models.dir cannot be listed: " + e.getMessage());
        }
        return places.stream().map(ModelRepository::candidate).toList();
    }

    private static Candidate candidate(Path source) {
        try {
            BundleManifest manifest = Files.isDirectory(source)
                    ? ManifestIo.read(source.resolve(ManifestIo.FILE_NAME)) : zippedManifest(source);
            return new Candidate(source, manifest.name(), manifest.version(), null);
        } catch (IOException | RuntimeException e) {
            return new Candidate(source, null, null, "unreadable: " + e.getMessage());
        }
    }

    /** The manifest of a zipped bundle, at its root or in its one top-level folder. */
    private static BundleManifest zippedManifest(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String path = entry.getName();
                if (path.equals(ManifestIo.FILE_NAME) || path.matches("[^/]+/" + ManifestIo.FILE_NAME)) {
                    try (InputStream in = file.getInputStream(entry)) {
                        return ManifestIo.read(in, zip + "!" + path);
                    }
                }
            }
        }
        throw new IOException("no " + ManifestIo.FILE_NAME + " at its root or in a top-level folder");
    }
}
