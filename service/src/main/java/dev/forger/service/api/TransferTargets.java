package dev.forger.service.api;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The models an evaluation scores its adversarial images on ({@code transferTo}): loaded, each named once, other
 * than the source, and reading the source's image shape. Shared by the JSON and the upload forms of
 * {@code POST /api/v1/evaluate}, so both refuse the same lists with the same words.
 */
final class TransferTargets {
    static final int MAX = 8;

    private TransferTargets() {}

    /** {@code transferTo} as a query parameter: comma-separated model names, or absent. */
    static List<LoadedModel> fromQuery(ModelRegistry registry, LoadedModel source, String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return resolve(registry, source, Arrays.stream(list.split(",")).map(String::strip).toList());
    }

    static List<LoadedModel> resolve(ModelRegistry registry, LoadedModel source, List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        if (names.size() > MAX) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "transferTo", names.size() + " target models; at"
                    + " most " + MAX);
        }
        List<LoadedModel> targets = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank() || name.equals(source.name()) || names.indexOf(name) != names.lastIndexOf(name)) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "transferTo", "transferTo lists other models, each"
                        + " once, by name (GET /api/v1/models); got " + names + " for source '" + source.name() + "'");
            }
            LoadedModel target = registry.get(name);
            if (!target.imageShape().equals(source.imageShape())) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "transferTo", "model '" + name + "' reads "
                        + target.imageShape() + " images, the source '" + source.name() + "' " + source.imageShape()
                        + ": transfer needs models of the same image shape");
            }
            targets.add(target);
        }
        return targets;
    }
}
