package dev.forger.service.imaging;

import java.util.Locale;
import java.util.Optional;

/**
 * The file formats uploads may hold, each known by its media type and by its first bytes. The service
 * reads PNG, JPEG, GIF and BMP images (the formats ImageIO reads; WBMP is left out, as its reader claims
 * almost any bytes), NumPy .npy batches and zips of those. Detection by content is what decides how bytes
 * are decoded; the media type a client gives must agree with it.
 */
public enum UploadFormat {
    PNG("image/png", "a PNG image"),
    JPEG("image/jpeg", "a JPEG image"),
    GIF("image/gif", "a GIF image"),
    BMP("image/bmp", "a BMP image"),
    NPY("application/x-npy", ".npy data"),
    ZIP("application/zip", "a zip archive");

    /** The media type that says "find out from the bytes". */
    public static final String UNLABELLED = "application/octet-stream";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final String mediaType;
    private final String description;

    UploadFormat(String mediaType, String description) {
        this.mediaType = mediaType;
        this.description = description;
    }

    public String mediaType() {
        return mediaType;
    }

    /** E.g. "a PNG image", for messages. */
    public String description() {
        return description;
    }

    public boolean isImage() {
        return this != NPY && this != ZIP;
    }

    /** The format the bytes hold, told by their signature; empty when none of these. */
    public static Optional<UploadFormat> detect(byte[] bytes) {
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, NPY_MAGIC)) {
            return Optional.of(NPY);
        }
        if (startsWith(bytes, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, "GIF87a".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                || startsWith(bytes, "GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return Optional.of(GIF);
        }
        if (bytes.length >= 26 && bytes[0] == 'B' && bytes[1] == 'M') {
            return Optional.of(BMP);
        }
        if (startsWith(bytes, new byte[] {'P', 'K', 3, 4}) || startsWith(bytes, new byte[] {'P', 'K', 5, 6})) {
            return Optional.of(ZIP);
        }
        return Optional.empty();
    }

    /**
     * The format a Content-Type names (parameters and case ignored): empty for {@value #UNLABELLED}, a
     * missing type, and types that name none of these formats (the caller tells those apart with
     * {@link #isUnlabelled}).
     */
    public static Optional<UploadFormat> ofMediaType(String contentType) {
        String type = bare(contentType);
        for (UploadFormat format : values()) {
            if (format.mediaType.equals(type)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** Whether the Content-Type leaves the format to the bytes: absent, empty or {@value #UNLABELLED}. */
    public static boolean isUnlabelled(String contentType) {
        String type = bare(contentType);
        return type.isEmpty() || type.equals(UNLABELLED);
    }

    /** The media type without parameters, lower case: {@code "Image/PNG; x=y"} is {@code "image/png"}. */
    public static String bare(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the bytes look like a PNG that lost its CR and LF bytes on the way, as {@code curl -d @file}
     * does to every file it sends (the PNG signature holds both, so that such damage shows at once).
     */
    public static boolean isPngWithLineBreaksStripped(byte[] bytes) {
        return bytes.length >= 5 && bytes[0] == (byte) 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[4] == 0x1a;
    }

    /**
     * Whether binary data of this length holds neither a CR nor an LF byte, as data sent with {@code curl -d}
     * does: in a few hundred bytes of compressed or float data one of the two usually turns up, so their
     * absence in data that fails to decode is worth a hint.
     */
    public static boolean lacksLineBreaks(byte[] bytes) {
        if (bytes.length < 256) {
            return false;
        }
        for (byte b : bytes) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
