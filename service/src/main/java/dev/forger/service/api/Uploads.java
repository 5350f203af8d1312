package dev.forger.service.api;

import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.UploadFormat;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The one road every upload takes (/score, /attack, /evaluate, and any endpoint added later): a request body
 * and its Content-Type, or multipart parts, in; the images conformed to the model's input out. Formats, limits
 * and messages live behind it ({@link UploadReader}, {@link UploadSpec}), so a change to one is made once.
 *
 * <p>It also decides where decoding runs. A worker thread decodes right where it is. On the event loop, a body
 * that decodes in microseconds (a small plain PNG whose header declares at most {@value #CHEAP_PNG_PIXELS}
 * pixels, or small .npy data: about as long as Vert.x takes to parse one request) is decoded there too, which
 * costs less than handing it to another thread; anything larger goes to the {@link EncodingPool}, so the event
 * loop never runs ImageIO, a large image or a zip.
 */
@ApplicationScoped
public class Uploads {
    static final int CHEAP_PNG_PIXELS = 64 * 64;
    static final int CHEAP_BODY_BYTES = 16 * 1024;

    private final UploadReader reader;
    private final EncodingPool pool;

    public Uploads(ImageDecoder decoder, EncodingPool pool) {
        this.reader = new UploadReader(decoder);
        this.pool = pool;
    }

    /** A raw request body: one image file, an .npy batch or, where the spec takes it, a zip of those. */
    CompletionStage<UploadedImages> body(byte[] body, String contentType, UploadSpec spec) {
        byte[] bytes = body == null ? new byte[0] : body;
        return decode(cheapToDecode(bytes), () -> {
            UploadedImages images = new UploadedImages(spec.shape(), spec.maxImages());
            reader.read(bytes, contentType, "body", spec, images);
            return nonEmpty(images, spec);
        });
    }

    /** The parts named {@code image} of a multipart upload, in part order. */
    CompletionStage<UploadedImages> parts(List<FileUpload> parts, UploadSpec spec) {
        if (parts == null || parts.isEmpty()) {
            return CompletableFuture.failedFuture(new ClientProblem(ProblemType.MISSING_BODY, "image", "the"
                    + " multipart body has no part named 'image'; send each image as a file part: curl -F"
                    + " image=@digit.png …"));
        }
        return decode(false, () -> {
            UploadedImages images = new UploadedImages(spec.shape(), spec.maxImages());
            if (parts.size() > spec.maxImages()) {
                throw images.tooMany(parts.size());
            }
            UploadSpec entries = spec.forEntries();
            for (int i = 0; i < parts.size(); i++) {
                FileUpload part = parts.get(i);
                reader.read(read(part, "image[" + i + "]"), part.contentType(), "image[" + i + "]", entries, images);
            }
            return nonEmpty(images, spec);
        });
    }

    private CompletionStage<UploadedImages> decode(boolean cheap, Supplier<UploadedImages> work) {
        if (decodesHere(cheap)) {
            try {
                return CompletableFuture.completedFuture(work.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(work, pool);
    }

    /** Whether the calling thread decodes an upload itself: any thread but the event loop, which only when it is cheap. */
    static boolean decodesHere(boolean cheap) {
        return cheap || !Context.isOnEventLoopThread();
    }

    /**
     * Whether decoding {@code body} costs so little that it may run on the event loop: a small plain PNG whose
     * header declares at most {@value #CHEAP_PNG_PIXELS} pixels, or small .npy data. Other formats (JPEG, GIF,
     * BMP, palette PNGs) go through ImageIO, whose fixed cost alone is tens of microseconds, and a small PNG may
     * declare a huge image (a decompression bomb): not cheap.
     */
    static boolean cheapToDecode(byte[] body) {
        if (body.length > CHEAP_BODY_BYTES) {
            return false;
        }
        return UploadFormat.detect(body).orElse(null) == UploadFormat.NPY
                || ImageDecoder.isSmallPlainPng(body, CHEAP_PNG_PIXELS);
    }

    private static UploadedImages nonEmpty(UploadedImages images, UploadSpec spec) {
        if (images.count() == 0) {
            throw new ClientProblem(ProblemType.MISSING_BODY, "body", "the upload holds no images; "
                    + spec.endpoint() + " takes " + spec.acceptedTypes());
        }
        return images;
    }

    private static byte[] read(FileUpload part, String field) {
        if (part.uploadedFile() == null) {
            // a part without a filename is a plain form field, which Quarkus REST keeps in memory and not as a
            // file: it reached Files.readAllBytes(null), a 500 (found by MalformedBodiesApiTest)
            throw new ClientProblem(ProblemType.MISSING_BODY, field, field + " is a form field, not a file: send each"
                    + " image as a file part (curl -F image=@digit.png, with the @)");
        }
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading an uploaded part failed", e);
        }
    }
}
