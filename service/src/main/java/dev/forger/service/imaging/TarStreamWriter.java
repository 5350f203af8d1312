package dev.forger.service.imaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar of one PNG per image (Apache Commons Compress), written entry by entry in constant memory: tar
 * has no central directory. The layout WebDataset-style pipelines read: one {@code <key>.png} per
 * sample, in sample order. Entries are owned by uid/gid 0 without names, mode 0644 and dated
 * 2000-01-01, so the same request gives the same bytes.
 */
public final class TarStreamWriter implements ImageStreamWriter {
    private static final FileTime ENTRY_TIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

    private final TarArchiveOutputStream tar;
    private final String prefix;
    private final PngWriter png;

    public TarStreamWriter(OutputStream out, String prefix, PngWriter png) {
        this.tar = new TarArchiveOutputStream(out);
        this.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        this.prefix = prefix;
        this.png = png;
    }

    @Override
    public void write(ImageBatch batch, long firstIndex) throws IOException {
        for (int i = 0; i < batch.count(); i++) {
            byte[] bytes = png.encode(Rasters.toImage(batch, i));
            TarArchiveEntry entry = new TarArchiveEntry(ArchiveNames.png(prefix, firstIndex + i));
            entry.setSize(bytes.length);
            entry.setMode(0100644);
            entry.setLastModifiedTime(ENTRY_TIME);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
    }

    @Override
    public void finish() throws IOException {
        tar.finish();
        tar.flush();
    }
}
