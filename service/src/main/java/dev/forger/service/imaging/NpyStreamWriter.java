package dev.forger.service.imaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code .npy} file written batch by batch: the header states the full shape [count, C, H, W]
 * up front, then each batch's floats follow. {@link #finish} checks that exactly {@code count} images
 * were written, so a stream can never end with a header that lies about it.
 */
public final class NpyStreamWriter implements ImageStreamWriter {
    private final OutputStream out;
    private final ImageShape shape;
    private final long count;
    private long written;
    private ByteBuffer bytes;

    public NpyStreamWriter(OutputStream out, ImageShape shape, long count) throws IOException {
        this.out = out;
        this.shape = shape;
        this.count = count;
        out.write(NpyWriter.header(count, shape));
    }

    @Override
    public void write(ImageBatch batch, long firstIndex) throws IOException {
        if (written + batch.count() > count) {
            throw new IllegalStateException("the header promised " + count + " images; " + (written + batch.count())
                    + " were written");
        }
        int size = 4 * batch.data().length;
        if (bytes == null || bytes.capacity() < size) {
            bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }
        bytes.clear();
        bytes.asFloatBuffer().put(batch.data());
        out.write(bytes.array(), 0, size);
        written += batch.count();
    }

    @Override
    public void finish() throws IOException {
        if (written != count) {
            throw new IllegalStateException("the header promised " + count + " images; " + written + " were written");
        }
        out.flush();
    }

    public ImageShape shape() {
        return shape;
    }
}
