package dev.forger.service.robustness;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Images as the store keeps them: float32 little-endian, NCHW, exactly the floats the attacks get. */
final class ImageBytes {
    private ImageBytes() {}

    static byte[] of(float[] images) {
        ByteBuffer bytes = ByteBuffer.allocate(images.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(images);
        return bytes.array();
    }

    static float[] floats(byte[] bytes) {
        float[] images = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(images);
        return images;
    }
}
