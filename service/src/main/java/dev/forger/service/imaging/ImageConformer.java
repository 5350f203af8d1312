package dev.forger.service.imaging;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;

/**
 * Brings a decoded image to a model's input shape: converts grey to colour (replicating) or
 * colour to grey (ITU-R BT.601 luma), and refuses a wrong size unless the client asked to resize.
 */
public final class ImageConformer {
    private ImageConformer() {}

    /**
     * @param source one or more decoded images of one shape
     * @param index  which image of {@code source}
     * @param field  names the image in error messages
     * @return {@code target.size()} floats
     */
    public static float[] conform(ImageBatch source, int index, ImageShape target, boolean resize, String field) {
        ImageShape from = source.shape();
        float[] image = source.image(index);
        if (from.height() != target.height() || from.width() != target.width()) {
            if (!resize) {
                throw new ClientProblem(ProblemType.WRONG_IMAGE_SIZE, field, field + " is " + from.width() + "x"
                        + from.height() + " pixels but the model expects " + target.width() + "x" + target.height()
                        + " (width x height). Send " + target.width() + "x" + target.height()
                        + " images, or add resize=true to let the service rescale.");
            }
            image = Resampler.resize(image, from, target.height(), target.width());
        }
        return convertChannels(image, from.channels(), target);
    }

    private static float[] convertChannels(float[] image, int channels, ImageShape target) {
        int plane = target.height() * target.width();
        if (channels == target.channels()) {
            return image;
        }
        float[] out = new float[target.size()];
        if (channels == 1) {
            for (int c = 0; c < target.channels(); c++) {
                System.arraycopy(image, 0, out, c * plane, plane);
            }
        } else {
            for (int i = 0; i < plane; i++) {
                out[i] = 0.299f * image[i] + 0.587f * image[plane + i] + 0.114f * image[2 * plane + i];
            }
        }
        return out;
    }
}
