package dev.forger.service.api;

import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * An evaluation's upload: one .npy batch, or a zip of image files (PNG, JPEG or .npy each).
 * Zip entries are read with a size cap, so a zip bomb fails fast instead of filling the heap.
 */
final class UploadedArchive {
    /** No single image file of a sane upload comes near this; the whole body is bounded anyway. */
    private static final int MAX_ENTRY_BYTES = 4 << 20;

    private UploadedArchive() {}

    static UploadedImages read(byte[] body, String contentType, ImageDecoder decoder, int maxImages,
                               ImageShape shape, ResizeMode resize) {
        UploadedImages images = new UploadedImages(decoder, maxImages);
        boolean zip = (contentType != null && contentType.startsWith("application/zip"))
                || (body.length >= 4 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4);
        if (!zip) {
            images.add(body, contentType, "body", shape, resize);
        } else {
            readZip(body, images, shape, resize);
        }
        if (images.count() == 0) {
            throw new ClientProblem(ProblemType.MISSING_BODY, "body", "the upload holds no images; send a .npy"
                    + " batch or a zip of PNG files");
        }
        return images;
    }

    private static void readZip(byte[] body, UploadedImages images, ImageShape shape, ResizeMode resize) {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("__MACOSX/") || name.endsWith("/.DS_Store")) {
                    continue;
                }
                images.add(readCapped(zip, name), null, name, shape, resize);
            }
        } catch (IOException e) {
            throw new ClientProblem(ProblemType.CORRUPT_IMAGE, "body", "the zip cannot be read: " + e.getMessage());
        }
    }

    private static byte[] readCapped(ZipInputStream zip, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = zip.read(buffer)) > 0; ) {
            if (out.size() + n > MAX_ENTRY_BYTES) {
                throw new ClientProblem(ProblemType.IMAGE_TOO_LARGE, name, name + " unpacks to more than "
                        + (MAX_ENTRY_BYTES >> 20) + " MB; zip entries must be single images");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
