package dev.forger.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.registry.LoadedModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Scores uploaded images through the model's discriminator batcher and answers on the request's
 * own event loop, where the response is written anyway: the batcher thread only hands the logits
 * over, and no worker thread is woken for a few bytes of JSON. The JSON is serialised here by one
 * prepared {@link ObjectWriter} into bytes, so Quarkus REST needs no per-request writer lookup or
 * content negotiation.
 */
@ApplicationScoped
public class ScoreReplies {
    private final ObjectWriter json;
    private final ForgerMetrics metrics;
    private final EncodingPool fallback;

    public ScoreReplies(ObjectMapper mapper, ForgerMetrics metrics, EncodingPool fallback) {
        this.json = mapper.writerFor(ScoreResponse.class);
        this.metrics = metrics;
        this.fallback = fallback;
    }

    /**
     * Queues the images and returns the 200 response with one verdict per image. Call it on the
     * request's thread (event loop or worker): the answer is built on that request's Vert.x context.
     *
     * @throws dev.forger.service.inference.QueueFullException when the batcher's queue is full
     */
    public CompletionStage<Response> score(LoadedModel model, UploadedImages images) {
        return score(model, images, Vertx.currentContext());
    }

    /** As {@link #score(LoadedModel, UploadedImages)}, answering on {@code context} (null: on the encoding pool). */
    public CompletionStage<Response> score(LoadedModel model, UploadedImages images, Context context) {
        int count = images.count();
        CompletableFuture<Response> reply = new CompletableFuture<>();
        CompletableFuture<float[]> scores = model.score(images.packed(), count);
        // with a classifier, its verdict joins D's: both batchers run side by side
        CompletableFuture<float[]> classes = model.hasClassifier() ? model.classify(images.packed(), count)
                : CompletableFuture.completedFuture(null);
        scores.thenCombine(classes, (logits, classLogits) -> new float[][] {logits, classLogits}).whenComplete((both, error) -> {
            Runnable answer = () -> {
                if (error != null) { // as the batcher raised it, not wrapped by the combination
                    reply.completeExceptionally(error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null ? error.getCause() : error);
                    return;
                }
                try {
                    reply.complete(respond(model, both[0], both[1], count));
                } catch (RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            };
            if (context != null) {
                context.runOnContext(ignored -> answer.run());
            } else {
                fallback.execute(answer); // called outside a request (no Vert.x context): never on the batcher
            }
        });
        return reply;
    }

    private Response respond(LoadedModel loaded, float[] logits, float[] classLogits, int count) {
        String model = loaded.name();
        int k = loaded.classNames().size();
        List<ScoreResponse.Result> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double p = ScoreResponse.probability(logits[i]);
            if (classLogits == null) {
                results.add(new ScoreResponse.Result(i, logits[i], p));
            } else {
                int best = i * k;
                for (int j = i * k + 1; j < (i + 1) * k; j++) {
                    best = classLogits[j] > classLogits[best] ? j : best;
                }
                double sum = 0;
                for (int j = i * k; j < (i + 1) * k; j++) {
                    sum += Math.exp((double) classLogits[j] - classLogits[best]);
                }
                results.add(new ScoreResponse.Result(i, logits[i], p, best - i * k, 1 / sum));
            }
            metrics.realProbability(model, "upload", p);
        }
        metrics.imagesScored(model, "upload", count);
        try {
            byte[] body = json.writeValueAsBytes(new ScoreResponse(model, results));
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ScoreResponse always serialises", e);
        }
    }
}
