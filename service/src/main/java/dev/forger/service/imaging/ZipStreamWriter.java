package dev.forger.service.imaging;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip of one PNG per image, written entry by entry as batches arrive (the JDK's ZipOutputStream;
 * Zip64 records are added by it past 65,535 entries). Entries are STORED: PNG data is deflated
 * already. Every entry is dated 2000-01-01 00:00, so the same request gives the same bytes.
 *
 * <p>Not constant memory: a zip ends with a central directory listing every entry, so the JDK keeps
 * each entry's record (about 200 bytes) until {@link #finish}; the service bounds the count of a zip
 * stream for that reason (tar has no such directory).
 */
public final class ZipStreamWriter implements ImageStreamWriter {
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final ZipOutputStream zip;
    private final String prefix;
    private final PngWriter png;
    private final CRC32 crc = new CRC32();

    public ZipStreamWriter(OutputStream out, String prefix, PngWriter png) {
        this.zip = new ZipOutputStream(out);
        this.zip.setMethod(ZipOutputStream.STORED);
        this.prefix = prefix;
        this.png = png;
    }

    @Override
    public void write(ImageBatch batch, long firstIndex) throws IOException {
        for (int i = 0; i < batch.count(); i++) {
            byte[] bytes = png.encode(Rasters.toImage(batch, i));
            ZipEntry entry = new ZipEntry(ArchiveNames.png(prefix, firstIndex + i));
            crc.reset();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
            entry.setTimeLocal(ENTRY_TIME);
            zip.putNextEntry(entry);
            zip.write(bytes);
            zip.closeEntry();
        }
    }

    @Override
    public void finish() throws IOException {
        zip.finish();
        zip.flush();
    }
}
