package dev.forger.service.api;

import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageConformer;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.UploadFormat;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads one body, part or zip entry into an {@link UploadedImages}: the one place where the Content-Type, the
 * bytes and the decoder are made to agree. The format is told from the bytes; a Content-Type that names a
 * format must name that one ({@value UploadFormat#UNLABELLED} or none leaves it to the bytes); the format must
 * be one the endpoint takes. Each refusal says what was sent, what the endpoint takes and how to send it, and
 * spots the damage {@code curl -d} does to binary files.
 */
final class UploadReader {
    private final ImageDecoder decoder;

    UploadReader(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * @param contentType the body's or part's Content-Type; null for zip entries
     * @param field       names it in errors: {@code body}, {@code image[1]}, a zip entry's name
     */
    void read(byte[] bytes, String contentType, String field, UploadSpec spec, UploadedImages into) {
        if (bytes.length == 0) {
            throw new ClientProblem(ProblemType.MISSING_BODY, field, field + " is empty: send the file's bytes,"
                    + " e.g. curl --data-binary @digit.png -H 'Content-Type: image/png' …");
        }
        UploadFormat format = format(bytes, contentType, field, spec);
        try {
            switch (format) {
                case ZIP -> UploadedArchive.read(bytes, entry -> read(entry.bytes(), null, entry.name(),
                        spec.forEntries(), into));
                case NPY -> add(NpyReader.read(bytes, into.room()), field, spec, into);
                default -> add(decoder.decode(bytes, field), field, spec, into);
            }
        } catch (ClientProblem problem) {
            throw withCurlHint(problem, bytes);
        }
    }

    /** The format of the bytes, checked against the label and the endpoint. */
    private static UploadFormat format(byte[] bytes, String contentType, String field, UploadSpec spec) {
        String label = UploadFormat.bare(contentType);
        boolean unlabelled = contentType == null || UploadFormat.isUnlabelled(label);
        Optional<UploadFormat> labelled = UploadFormat.ofMediaType(label);
        if (!unlabelled && labelled.isEmpty()) {
            throw new ClientProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, field, (field + " is labelled " + label
                    + "; " + spec.endpoint() + " takes " + spec.acceptedTypes() + ". " + spec.advice()).strip());
        }
        Optional<UploadFormat> detected = UploadFormat.detect(bytes);
        if (detected.isEmpty()) {
            String expected = labelled.map(UploadFormat::description).orElse(spec.formats().stream()
                    .map(UploadFormat::description).collect(Collectors.joining(", ", "any of ", "")));
            throw withCurlHint(new ClientProblem(ProblemType.NOT_AN_IMAGE, field, field
                    + (labelled.isPresent() ? " is labelled " + label + " but is not " : " is not ") + expected
                    + " (it starts with " + leadingBytes(bytes) + "). " + spec.endpoint() + " takes "
                    + spec.acceptedTypes() + "."), bytes);
        }
        UploadFormat format = detected.get();
        if (labelled.isPresent() && labelled.get() != format) {
            throw new ClientProblem(ProblemType.CONTENT_TYPE_MISMATCH, field, field + " is labelled " + label
                    + " but holds " + format.description() + "; label it " + format.mediaType() + " (or "
                    + UploadFormat.UNLABELLED + " to let the service tell from the bytes)"
                    + (spec.formats().contains(format) ? "" : ", though " + spec.endpoint() + " takes only "
                    + spec.acceptedTypes()) + ".");
        }
        if (!spec.formats().contains(format)) {
            throw new ClientProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, field, (field + " holds "
                    + format.description() + "; " + spec.endpoint() + " takes " + spec.acceptedTypes() + ". "
                    + spec.advice()).strip());
        }
        return format;
    }

    private static void add(ImageBatch decoded, String field, UploadSpec spec, UploadedImages into) {
        if (decoded.count() > into.room()) {
            throw into.tooMany(into.count() + decoded.count());
        }
        for (int i = 0; i < decoded.count(); i++) {
            String name = decoded.count() == 1 ? field : field + "[" + i + "]";
            into.add(ImageConformer.conform(decoded, i, spec.shape(), spec.resize(), name));
        }
    }

    /**
     * The problem with a hint appended when the bytes show the damage {@code curl -d @file} does (it drops every
     * CR and LF byte): a PNG signature without them, or binary data of some length without a single one.
     */
    private static ClientProblem withCurlHint(ClientProblem problem, byte[] bytes) {
        ProblemType type = problem.type();
        boolean decodingFailed = type == ProblemType.NOT_AN_IMAGE || type == ProblemType.CORRUPT_IMAGE
                || type == ProblemType.MALFORMED_NPY;
        if (!decodingFailed || problem.detail().contains("--data-binary")) {
            return problem;
        }
        String hint;
        if (UploadFormat.isPngWithLineBreaksStripped(bytes)) {
            hint = " This is a PNG whose line-break bytes (0x0d, 0x0a) were stripped, which is what curl -d @file"
                    + " does: send files with curl --data-binary @file (or -F image=@file).";
        } else if (UploadFormat.lacksLineBreaks(bytes)) {
            hint = " The data holds no line-break byte (0x0d, 0x0a) at all: if it was sent with curl -d @file, which"
                    + " strips them, send it with curl --data-binary @file (or -F image=@file) instead.";
        } else {
            return problem;
        }
        return new ClientProblem(type, problem.field(), problem.detail() + hint);
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return hex.toString();
    }
}
