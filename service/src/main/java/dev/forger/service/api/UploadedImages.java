package dev.forger.service.api;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of one upload, conformed to a model's input: what {@link Uploads} hands the endpoints. Filled by
 * {@link UploadReader}, which checks the image count against the endpoint's limit as images arrive.
 */
final class UploadedImages {
    private final ImageShape shape;
    private final int maxImages;
    private final List<float[]> images = new ArrayList<>();

    UploadedImages(ImageShape shape, int maxImages) {
        this.shape = shape;
        this.maxImages = maxImages;
    }

    /** How many more images this upload may hold. */
    int room() {
        return maxImages - images.size();
    }

    /** @param image {@link #shape}'s size of floats, conformed */
    void add(float[] image) {
        if (images.size() >= maxImages) {
            throw tooMany(images.size() + 1);
        }
        images.add(image);
    }

    ClientProblem tooMany(int count) {
        return new ClientProblem(ProblemType.TOO_MANY_IMAGES, "image", count + " images in one request; at most "
                + maxImages + " are taken at once (forger.limits.max-images-per-request, or"
                + " forger.evaluation.max-images for evaluations). Split the upload.");
    }

    int count() {
        return images.size();
    }

    ImageShape shape() {
        return shape;
    }

    /** All images back to back, NCHW. */
    float[] packed() {
        float[] all = new float[images.size() * shape.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, all, i * shape.size(), shape.size());
        }
        return all;
    }
}
