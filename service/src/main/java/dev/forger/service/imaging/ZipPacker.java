package dev.forger.service.imaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packs already-encoded PNGs into a zip; PNG data is deflated already, so entries are stored. */
public final class ZipPacker {
    private ZipPacker() {}

    /** Entries are named {@code <prefix>-<index>.png}, zero-padded so they sort in order. */
    public static byte[] pack(String prefix, List<byte[]> pngs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int digits = Math.max(3, String.valueOf(pngs.size() - 1).length());
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(0);
            for (int i = 0; i < pngs.size(); i++) {
                zip.putNextEntry(new ZipEntry(String.format("%s-%0" + digits + "d.png", prefix, i)));
                zip.write(pngs.get(i));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("zip to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
