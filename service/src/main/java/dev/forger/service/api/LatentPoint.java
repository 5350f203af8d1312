package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One point of latent space in a walk or an arithmetic request, written as a seed ({@code 7}: sample 0
 * of seed 7, the image {@code GET /generate?seed=7} shows), a sample of a seed's sequence
 * ({@code {"seed": 7, "index": 12}}: the 13th image of {@code ?seed=7&count=64}), or a latent vector
 * ({@code [0.1, -0.3, ...]}, or {@code {"latent": [...]}}).
 */
@JsonDeserialize(using = LatentPoint.Reader.class)
@Schema(name = "LatentPoint", description = "A seed (7: sample 0 of seed 7), a sample of a seed's sequence"
        + " ({\"seed\": 7, \"index\": 12}) or a latent vector of the model's dimension ([0.1, -0.3, ...])",
        example = "7")
public record LatentPoint(Long seed, long index, float[] latent) {
    static final String SHAPES = "a point is a seed (7), a sample of a seed ({\"seed\": 7, \"index\": 12}) or a"
            + " latent vector ([0.1, -0.3, ...])";

    /** The latent vector this point stands for in {@code model}; {@code field} names it in problems. */
    float[] resolve(LoadedModel model, String field) {
        if (latent != null) {
            if (latent.length != model.latentDim()) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " has " + latent.length
                        + " values; model '" + model.name() + "' takes vectors of " + model.latentDim());
            }
            for (int j = 0; j < latent.length; j++) {
                if (!Float.isFinite(latent[j])) {
                    throw new ClientProblem(ProblemType.NON_FINITE_VALUE, field, field + "[" + j + "] is "
                            + latent[j] + "; latent values must be finite");
                }
            }
            return latent.clone();
        }
        if (index < 0 || index >= LatentSampler.MAX_INDEX) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + ".index must be from 0 to 2^40 - 1,"
                    + " got " + index);
        }
        return LatentSampler.sample(model.manifest().latent(), seed, index, 1);
    }

    /** Reads the three spellings; anything else is a problem naming them. */
    static final class Reader extends StdDeserializer<LatentPoint> {
        private static final Set<String> FIELDS = Set.of("seed", "index", "latent");

        Reader() {
            super(LatentPoint.class);
        }

        @Override
        public LatentPoint deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return new LatentPoint(node.longValue(), 0, null);
            }
            if (node.isArray()) {
                return new LatentPoint(null, 0, vector(parser, node));
            }
            if (node.isObject()) {
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!FIELDS.contains(name)) {
                        throw fail(parser, "unknown field '" + name + "' in a point; " + SHAPES);
                    }
                }
                JsonNode latent = node.get("latent");
                JsonNode seed = node.get("seed");
                JsonNode index = node.get("index");
                if (latent != null && seed == null && index == null) {
                    return new LatentPoint(null, 0, vector(parser, latent));
                }
                if (latent == null && seed != null && seed.isIntegralNumber() && seed.canConvertToLong()
                        && (index == null || index.isIntegralNumber() && index.canConvertToLong())) {
                    return new LatentPoint(seed.longValue(), index == null ? 0 : index.longValue(), null);
                }
            }
            throw fail(parser, "cannot read " + node + " as a point; " + SHAPES);
        }

        private static float[] vector(JsonParser parser, JsonNode array) throws MismatchedInputException {
            if (!array.isArray()) {
                throw fail(parser, "latent must be an array of numbers; " + SHAPES);
            }
            float[] v = new float[array.size()];
            for (int i = 0; i < v.length; i++) {
                if (!array.get(i).isNumber()) {
                    throw fail(parser, "a latent vector holds numbers, got " + array.get(i) + " at position " + i);
                }
                v[i] = array.get(i).floatValue();
            }
            return v;
        }

        private static MismatchedInputException fail(JsonParser parser, String message) {
            // no target type: JsonBodies then keeps this message (it rewrites typed mismatches as 'must be an object')
            return MismatchedInputException.from(parser, (Class<?>) null, message);
        }
    }
}
