package dev.forger.service.api;

import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.imaging.UploadFormat;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one endpoint takes in an upload: the formats of its raw body (the same list as its {@code @Consumes}),
 * the model shape images are conformed to, how other sizes are treated, and how many images it takes.
 *
 * @param endpoint names the endpoint in messages, e.g. {@code POST /api/v1/score}
 * @param advice   one sentence on what to send instead when a format is refused, or empty
 */
record UploadSpec(String endpoint, Set<UploadFormat> formats, ImageShape shape, ResizeMode resize, int maxImages,
                  String advice) {

    /** The image files the service reads: one per body, part or zip entry. */
    static final Set<UploadFormat> IMAGES = EnumSet.of(UploadFormat.PNG, UploadFormat.JPEG, UploadFormat.GIF,
            UploadFormat.BMP);
    /** Image files or an .npy batch: the raw bodies and parts of /score and /attack, and zip entries. */
    static final Set<UploadFormat> IMAGES_OR_NPY = EnumSet.of(UploadFormat.PNG, UploadFormat.JPEG, UploadFormat.GIF,
            UploadFormat.BMP, UploadFormat.NPY);
    /** An .npy batch or a zip of image files (or .npy files): the raw bodies of /evaluate. */
    static final Set<UploadFormat> NPY_OR_ZIP = EnumSet.of(UploadFormat.NPY, UploadFormat.ZIP);

    /** The media types of {@link #IMAGES_OR_NPY}, as {@code @Consumes} lists them. */
    static final String PNG = "image/png";
    static final String JPEG = "image/jpeg";
    static final String GIF = "image/gif";
    static final String BMP = "image/bmp";
    static final String NPY = "application/x-npy";
    static final String ZIP = "application/zip";

    /** Spec for the parts of a multipart upload and the entries of a zip: one image file or .npy batch each. */
    UploadSpec forEntries() {
        return new UploadSpec(endpoint, IMAGES_OR_NPY, shape, resize, maxImages, advice);
    }

    /** "image/png, image/jpeg, … or application/octet-stream (the format told from the bytes)". */
    String acceptedTypes() {
        return formats.stream().map(UploadFormat::mediaType).collect(Collectors.joining(", "))
                + " or " + UploadFormat.UNLABELLED + " (the format told from the bytes)";
    }
}
