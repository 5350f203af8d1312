package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.forger.service.attacks.Attack;
import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.ClassGoal;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.Norm;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import jakarta.ws.rs.QueryParam;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The attack's parameters of {@code POST /attack} (query) and of each attack of an evaluation (JSON), as
 * text: parsed here so that a malformed number names its field (JAX-RS conversion would answer a bare 404).
 * {@code method} is required; every other value left out takes the attack's default, and the response
 * echoes every value used. In JSON a bare method name stands for the method at its defaults: {@code "fgsm"}
 * is {@code {"method": "fgsm"}}. The OpenAPI schemas give each parameter its real type.
 */
@Schema(name = "AttackParameters", description = "An attack: its method and any of its parameters; the bare method"
        + " name (\"fgsm\") stands for the method at its defaults")
public class AttackQuery {
    static final String GOAL_PATTERN = "^(fake|real|flip|class:[0-9]+|class-change)$";
    static final String METHODS = "fgsm, fgm, bim, pgd, mifgsm, deepfool, cw, apgd, apgd-margin, spsa, square,"
            + " bisection or auto (the worst-case ensemble: apgd, apgd-margin, then square on the images still unbroken)";

    @QueryParam("method")
    @Parameter(description = "Required: " + METHODS, example = "pgd", required = true,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"fgsm", "fgm", "bim", "pgd", "mifgsm",
                    "deepfool", "cw", "apgd", "apgd-margin", "spsa", "square", "bisection", "auto"}))
    @Schema(description = "Required: " + METHODS, example = "pgd", required = true,
            enumeration = {"fgsm", "fgm", "bim", "pgd", "mifgsm", "deepfool", "cw", "apgd", "apgd-margin",
                    "spsa", "square", "bisection", "auto"})
    public String method;

    @QueryParam("epsilon")
    @Parameter(description = "Perturbation budget in pixel units of [0, 1] (8/255 = 0.0314 for L∞); with quantize"
            + " (the default) an L∞ budget allows whole grey levels only: floor(255·ε) of them", example = "0.0314",
            schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0", exclusiveMinimum = true))
    @Schema(type = SchemaType.NUMBER, format = "double", example = "0.0314")
    public String epsilon;

    @QueryParam("norm")
    @Parameter(description = "linf or l2 (the attack's first supported norm when absent)", example = "linf",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"linf", "l2"}))
    @Schema(enumeration = {"linf", "l2"}, example = "linf")
    public String norm;

    @QueryParam("steps")
    @Parameter(description = "Iterations (bounded by forger.attacks.max-steps)", example = "20",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1"))
    @Schema(type = SchemaType.INTEGER, format = "int32", example = "20")
    public String steps;

    @QueryParam("stepSize")
    @Parameter(description = "Step per iteration in pixel units", example = "0.004",
            schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0", exclusiveMinimum = true))
    @Schema(type = SchemaType.NUMBER, format = "double", example = "0.004")
    public String stepSize;

    @QueryParam("goal")
    @Parameter(description = "fake (make D reject), real (make D accept) or flip (the opposite of its verdict; default);"
            + " on /attack also class:k (the bundle's classifier says k) or class-change (it says anything but what it"
            + " said of the original), for bundles with a classifier", example = "fake",
            schema = @Schema(type = SchemaType.STRING, pattern = GOAL_PATTERN))
    @Schema(enumeration = {"fake", "real", "flip"}, example = "fake")
    public String goal;

    @QueryParam("realism")
    @Parameter(description = "With a class goal: the weight λ ≥ 0 of a term that keeps the discriminator's verdict on"
            + " the real side (λ · BCE(D, real) is added to the class objective); 0 (default) leaves it out",
            example = "1.0", schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0"))
    @Schema(hidden = true)
    public String realism;

    @QueryParam("skipAtGoal")
    @Parameter(description = "true (default): images the discriminator already judges as the goal wants are returned"
            + " as they are (alreadyAtGoal: true, a success); false attacks every image, as the textbook fixed-ε"
            + " attacks of ART, Foolbox and torchattacks do", example = "true",
            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
    @Schema(type = SchemaType.BOOLEAN, example = "true")
    public String skipAtGoal;

    @QueryParam("randomStart")
    @Parameter(description = "Start from a random point of the ε-ball (pgd, apgd)", example = "true",
            schema = @Schema(type = SchemaType.BOOLEAN))
    @Schema(type = SchemaType.BOOLEAN, example = "true")
    public String randomStart;

    @QueryParam("seed")
    @Parameter(description = "Seed of every random choice: same seed, same result", example = "0",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
    @Schema(type = SchemaType.INTEGER, format = "int64", example = "0")
    public String seed;

    @QueryParam("quantize")
    @Parameter(description = "Return 8-bit images (default true; false only with npy output): the attack then works"
            + " on the 8-bit version of each image, rounds the result to the nearest grey levels inside the"
            + " ε-ball and reports the scores of exactly that image", example = "true",
            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "true"))
    @Schema(type = SchemaType.BOOLEAN, example = "true")
    public String quantize;

    @QueryParam("momentum")
    @Parameter(description = "mifgsm's decay factor", example = "1.0",
            schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0", maximum = "1"))
    @Schema(type = SchemaType.NUMBER, format = "double", example = "1.0")
    public String momentum;

    @QueryParam("overshoot")
    @Parameter(description = "deepfool's overshoot", example = "0.02",
            schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0", maximum = "1"))
    @Schema(type = SchemaType.NUMBER, format = "double", example = "0.02")
    public String overshoot;

    @QueryParam("constant")
    @Parameter(description = "cw's initial trade-off constant", example = "1.0",
            schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0", exclusiveMinimum = true))
    @Schema(type = SchemaType.NUMBER, format = "double", example = "1.0")
    public String constant;

    @QueryParam("searchSteps")
    @Parameter(description = "cw's binary-search steps on the constant", example = "5",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1"))
    @Schema(type = SchemaType.INTEGER, format = "int32", example = "5")
    public String searchSteps;

    @QueryParam("queries")
    @Parameter(description = "Forward queries per image of spsa/square (auto: of its square member)", example = "1000",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1"))
    @Schema(type = SchemaType.INTEGER, format = "int32", example = "1000")
    public String queries;

    @QueryParam("learningRate")
    @Parameter(description = "Adam's learning rate for cw and spsa", example = "0.01",
            schema = @Schema(type = SchemaType.NUMBER, format = "double", minimum = "0", exclusiveMinimum = true))
    @Schema(type = SchemaType.NUMBER, format = "double", example = "0.01")
    public String learningRate;

    /** Only the method named: every parameter at the attack's default. Also JSON's {@code "fgsm"} shorthand. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static AttackQuery of(String method) {
        AttackQuery query = new AttackQuery();
        query.method = method;
        return query;
    }

    /** The request with everything the client left out as null; the discriminator's goals only. */
    AttackRequest toRequest(boolean quantizeByDefault) {
        if (hasClassGoal()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "goal", "goal " + goal.strip() + " is a class goal;"
                    + " class goals run on POST /api/v1/attack, while this evaluation attacks the discriminator (fake,"
                    + " real or flip)");
        }
        return toRequest(quantizeByDefault, false);
    }

    /** Whether goal names one of the classifier's goals (class:k, class-change) rather than D's. */
    boolean hasClassGoal() {
        return ClassGoal.isClassGoal(goal);
    }

    /** The class goal asked for, with its realism weight; {@code classes} is the classifier's class count. */
    ClassGoal classGoal(int classes) {
        return ClassGoal.parse(goal, Params.optionalDouble("realism", realism), classes);
    }

    /**
     * The request with everything the client left out as null. With {@code classGoalsAllowed} a class goal leaves
     * the request's goal null ({@link #classGoal} reads it); realism is refused without one.
     */
    AttackRequest toRequest(boolean quantizeByDefault, boolean classGoalsAllowed) {
        if (realism != null && !realism.isBlank() && !hasClassGoal()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "realism", "realism weighs the discriminator's"
                    + " verdict against a class goal (goal=class:k or class-change); the discriminator's own goals"
                    + " (fake, real, flip) take no realism term: leave it out");
        }
        if (method == null || method.isBlank()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "method", "method is required: choose one of "
                    + AttackCatalog.all().stream().map(Attack::name).collect(Collectors.joining(", "))
                    + " (e.g. method=pgd; the README's table says what each does)");
        }
        Boolean quantized = Params.optionalBool("quantize", quantize);
        return new AttackRequest(method.strip(),
                Params.optionalDouble("epsilon", epsilon), norm == null || norm.isBlank() ? null : Norm.parse(norm),
                Params.optionalInt("steps", steps), Params.optionalDouble("stepSize", stepSize),
                Params.optionalBool("randomStart", randomStart), Params.optionalLong("seed", seed),
                goal == null || goal.isBlank() || (classGoalsAllowed && hasClassGoal()) ? null : Goal.parse(goal),
                quantized == null ? quantizeByDefault : quantized,
                Params.optionalDouble("momentum", momentum), Params.optionalDouble("overshoot", overshoot),
                Params.optionalDouble("constant", constant), Params.optionalInt("searchSteps", searchSteps),
                Params.optionalInt("queries", queries), Params.optionalDouble("learningRate", learningRate),
                Params.optionalBool("skipAtGoal", skipAtGoal));
    }
}
