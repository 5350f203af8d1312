package dev.forger.service.imaging;

import java.io.IOException;

/**
 * Writes a sequence of image batches to a stream as they arrive, holding at most one batch: the
 * formats of {@code /generate}'s streams (npy, zip, tar). Not thread-safe; one stream, one thread.
 */
public interface ImageStreamWriter {
    /**
     * Appends a batch.
     *
     * @param firstIndex the sample index of the batch's first image (names archive entries)
     * @throws IOException when the stream fails, e.g. because the client hung up
     */
    void write(ImageBatch batch, long firstIndex) throws IOException;

    /** Writes what ends the format (archive trailers) and flushes; does not close the underlying stream. */
    void finish() throws IOException;
}
