package dev.forger.service.api;

import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageConformer;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Collects the images of one upload (a raw body, or several multipart parts) and conforms them to
 * a model's input: the packed floats the discriminator takes. Decoding happens on the calling
 * worker thread.
 */
final class UploadedImages {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /**
     * Bodies up to these sizes decode in a few microseconds (a 64x64 RGBA PNG or 4,096 npy floats:
     * about as long as Vert.x takes to parse one request), so the event loop may decode them itself.
     */
    static final int CHEAP_PNG_PIXELS = 64 * 64;
    static final int CHEAP_BODY_BYTES = 16 * 1024;

    private final ImageDecoder decoder;
    private final int maxImages;
    private final List<float[]> images = new ArrayList<>();

    UploadedImages(ImageDecoder decoder, int maxImages) {
        this.decoder = decoder;
        this.maxImages = maxImages;
    }

    /** The image(s) of a raw request body (one image file or an .npy batch). */
    static UploadedImages ofBody(ImageDecoder decoder, int maxImages, byte[] body, String contentType,
                                 ImageShape target, ResizeMode resize) {
        UploadedImages images = new UploadedImages(decoder, maxImages);
        images.add(body == null ? new byte[0] : body, contentType, "body", target, resize);
        return images;
    }

    /** The images of a multipart upload's {@code image} parts, in part order. */
    static UploadedImages ofParts(ImageDecoder decoder, int maxImages, List<FileUpload> parts, ImageShape target,
                                  ResizeMode resize) {
        if (parts == null || parts.isEmpty()) {
            throw new ClientProblem(ProblemType.MISSING_BODY, "image", "the multipart body has no part named"
                    + " 'image'; send each image as a file part: curl -F image=@digit.png …");
        }
        UploadedImages images = new UploadedImages(decoder, maxImages);
        if (parts.size() > maxImages) {
            throw images.tooMany(parts.size());
        }
        for (int i = 0; i < parts.size(); i++) {
            FileUpload part = parts.get(i);
            images.add(read(part), part.contentType(), "image[" + i + "]", target, resize);
        }
        return images;
    }

    private static byte[] read(FileUpload part) {
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading an uploaded part failed", e);
        }
    }

    /**
     * Adds the image(s) in one body or part: .npy when the content type says so or the bytes start
     * with the npy magic, otherwise an image file.
     *
     * @param field names the body or part in errors: {@code body}, {@code image[1]}
     */
    void add(byte[] bytes, String contentType, String field, ImageShape target, ResizeMode resize) {
        boolean npy = (contentType != null && contentType.startsWith("application/x-npy")) || startsWithNpyMagic(bytes);
        ImageBatch decoded = npy ? NpyReader.read(bytes, maxImages - images.size()) : decoder.decode(bytes, field);
        if (images.size() + decoded.count() > maxImages) {
            throw tooMany(images.size() + decoded.count());
        }
        for (int i = 0; i < decoded.count(); i++) {
            String name = decoded.count() == 1 ? field : field + "[" + i + "]";
            images.add(ImageConformer.conform(decoded, i, target, resize, name));
        }
    }

    /**
     * Whether decoding {@code body} costs so little that it may run on the event loop: a small plain
     * PNG whose header declares at most {@value #CHEAP_PNG_PIXELS} pixels, or small .npy data. Other
     * formats (JPEG, GIF, BMP, palette PNGs) go through ImageIO, whose fixed cost alone is tens of
     * microseconds, and a small PNG may declare a huge image (a decompression bomb): not cheap.
     */
    static boolean cheapToDecode(byte[] body) {
        if (body.length > CHEAP_BODY_BYTES) {
            return false;
        }
        if (startsWithNpyMagic(body)) {
            return true;
        }
        return ImageDecoder.isSmallPlainPng(body, CHEAP_PNG_PIXELS);
    }

    ClientProblem tooMany(int count) {
        return new ClientProblem(ProblemType.TOO_MANY_IMAGES, "image", count + " images in one request; at most "
                + maxImages + " are scored at once (forger.limits.max-images-per-request). Split the upload.");
    }

    int count() {
        return images.size();
    }

    float[] packed(ImageShape shape) {
        float[] all = new float[images.size() * shape.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, all, i * shape.size(), shape.size());
        }
        return all;
    }

    private static boolean startsWithNpyMagic(byte[] bytes) {
        if (bytes.length < NPY_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < NPY_MAGIC.length; i++) {
            if (bytes[i] != NPY_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
