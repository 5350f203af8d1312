package dev.forger.service.api;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.Norm;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The attack's query parameters of {@code POST /attack}, as text: parsed here so that a malformed
 * number names its field (JAX-RS conversion would answer a bare 404). Absent values take the
 * attack's defaults; the response echoes every value used.
 */
public class AttackQuery {
    @QueryParam("method")
    @Parameter(description = "fgsm, fgm, bim, pgd, mifgsm, apgd, deepfool, cw, spsa or square", example = "pgd")
    public String method;

    @QueryParam("epsilon")
    @Parameter(description = "Perturbation budget in pixel units of [0, 1] (8/255 = 0.0314 for L∞)", example = "0.0314")
    public String epsilon;

    @QueryParam("norm")
    @Parameter(description = "linf or l2", example = "linf")
    public String norm;

    @QueryParam("steps")
    @Parameter(description = "Iterations (bounded by forger.attacks.max-steps)", example = "20")
    public String steps;

    @QueryParam("stepSize")
    @Parameter(description = "Step per iteration in pixel units", example = "0.004")
    public String stepSize;

    @QueryParam("goal")
    @Parameter(description = "fake (make D reject), real (make D accept) or flip (the opposite of its verdict; default)",
            example = "fake")
    public String goal;

    @QueryParam("randomStart")
    @Parameter(description = "Start from a random point of the ε-ball (pgd, apgd)", example = "true")
    public String randomStart;

    @QueryParam("seed")
    @Parameter(description = "Seed of every random choice: same seed, same result", example = "0")
    public String seed;

    @QueryParam("quantize")
    @Parameter(description = "Round the result to 8 bits and report the scores of exactly that image;"
            + " default true, false only with npy output")
    public String quantize;

    @QueryParam("momentum")
    @Parameter(description = "mifgsm's decay factor", example = "1.0")
    public String momentum;

    @QueryParam("overshoot")
    @Parameter(description = "deepfool's overshoot", example = "0.02")
    public String overshoot;

    @QueryParam("constant")
    @Parameter(description = "cw's initial trade-off constant", example = "1.0")
    public String constant;

    @QueryParam("searchSteps")
    @Parameter(description = "cw's binary-search steps on the constant", example = "5")
    public String searchSteps;

    @QueryParam("queries")
    @Parameter(description = "Forward queries per image of spsa/square", example = "1000")
    public String queries;

    @QueryParam("learningRate")
    @Parameter(description = "Adam's learning rate for cw and spsa", example = "0.01")
    public String learningRate;

    /** Only the method named: every parameter at the attack's default. */
    static AttackQuery of(String method) {
        AttackQuery query = new AttackQuery();
        query.method = method;
        return query;
    }

    /** The request with everything the client left out as null. */
    AttackRequest toRequest(boolean quantizeByDefault) {
        Boolean quantized = Params.optionalBool("quantize", quantize);
        return new AttackRequest(method == null || method.isBlank() ? AttackResource.DEFAULT_METHOD : method.strip(),
                Params.optionalDouble("epsilon", epsilon), norm == null || norm.isBlank() ? null : Norm.parse(norm),
                Params.optionalInt("steps", steps), Params.optionalDouble("stepSize", stepSize),
                Params.optionalBool("randomStart", randomStart), Params.optionalLong("seed", seed),
                goal == null || goal.isBlank() ? null : Goal.parse(goal),
                quantized == null ? quantizeByDefault : quantized,
                Params.optionalDouble("momentum", momentum), Params.optionalDouble("overshoot", overshoot),
                Params.optionalDouble("constant", constant), Params.optionalInt("searchSteps", searchSteps),
                Params.optionalInt("queries", queries), Params.optionalDouble("learningRate", learningRate));
    }
}
