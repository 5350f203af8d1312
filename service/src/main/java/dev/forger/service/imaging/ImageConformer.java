package dev.forger.service.imaging;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.Arrays;

/**
 * Brings a decoded image to a model's input shape: converts grey to colour (replicating) or
 * colour to grey (ITU-R BT.601 luma), and refuses a wrong size unless the client asked to rescale
 * or pad it ({@link ResizeMode}).
 */
public final class ImageConformer {
    /** Black, pixel 0: the border the trainer frames 28x28 MNIST digits with (trainer's MnistPadding). */
    static final float BACKGROUND = Pixels.toModel(0);

    private ImageConformer() {}

    /** {@code resize} true rescales, false refuses: see {@link #conform(ImageBatch, int, ImageShape, ResizeMode, String)}. */
    public static float[] conform(ImageBatch source, int index, ImageShape target, boolean resize, String field) {
        return conform(source, index, target, resize ? ResizeMode.SCALE : ResizeMode.REFUSE, field);
    }

    /**
     * @param source one or more decoded images of one shape
     * @param index  which image of {@code source}
     * @param field  names the image in error messages
     * @return {@code target.size()} floats
     */
    public static float[] conform(ImageBatch source, int index, ImageShape target, ResizeMode resize, String field) {
        ImageShape from = source.shape();
        float[] image = source.image(index);
        if (from.height() != target.height() || from.width() != target.width()) {
            image = switch (resize) {
                case REFUSE -> throw new ClientProblem(ProblemType.WRONG_IMAGE_SIZE, field, field + " is "
                        + size(from) + " pixels but the model expects " + size(target) + " (width x height). Send "
                        + size(target) + " images, or add resize=pad to centre smaller ones on a black background"
                        + " (as the model was trained on 28x28 MNIST digits) or resize=true to rescale.");
                case SCALE -> Resampler.resize(image, from, target.height(), target.width());
                case PAD -> pad(image, from, target, field);
            };
        }
        return convertChannels(image, from.channels(), target);
    }

    private static String size(ImageShape shape) {
        return shape.width() + "x" + shape.height();
    }

    /** Centres the image in the target's height and width; an odd margin puts the extra row/column after it. */
    private static float[] pad(float[] image, ImageShape from, ImageShape target, String field) {
        if (from.height() > target.height() || from.width() > target.width()) {
            throw new ClientProblem(ProblemType.WRONG_IMAGE_SIZE, field, field + " is " + size(from)
                    + " pixels, larger than the model's " + size(target) + " (width x height): resize=pad only"
                    + " frames smaller images. Use resize=true to rescale it instead.");
        }
        int top = (target.height() - from.height()) / 2;
        int left = (target.width() - from.width()) / 2;
        int plane = target.height() * target.width();
        int fromPlane = from.height() * from.width();
        float[] out = new float[from.channels() * plane];
        Arrays.fill(out, BACKGROUND);
        for (int c = 0; c < from.channels(); c++) {
            for (int y = 0; y < from.height(); y++) {
                System.arraycopy(image, c * fromPlane + y * from.width(), out,
                        c * plane + (top + y) * target.width() + left, from.width());
            }
        }
        return out;
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
