package dev.forger.service.api;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The files of a zip upload, one at a time (folders, macOS resource forks and .DS_Store files skipped).
 * Entries are read with a size cap, so a zip bomb fails fast instead of filling the heap.
 */
final class UploadedArchive {
    /** No single image file of a sane upload comes near this; the whole body is bounded anyway. */
    private static final int MAX_ENTRY_BYTES = 4 << 20;

    /** One file of the archive: its path in the zip and its bytes. */
    record Entry(String name, byte[] bytes) {}

    private UploadedArchive() {}

    static void read(byte[] zip, Consumer<Entry> each) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("__MACOSX/") || name.endsWith(".DS_Store")) {
                    continue;
                }
                each.accept(new Entry(name, readCapped(in, name)));
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipInputStream throws IllegalArgumentException for an entry name that is not valid UTF-8 (a damaged
            // header): found by UploadPropertiesTest, a 500 until then
            throw new ClientProblem(ProblemType.CORRUPT_IMAGE, "body", "the zip cannot be read: " + e.getMessage()
                    + ". Send a whole zip file (python3 -m zipfile -c digits.zip a.png b.png).");
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
