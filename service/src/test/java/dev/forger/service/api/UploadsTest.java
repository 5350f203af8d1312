package dev.forger.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.Pixels;
import dev.forger.service.imaging.ResizeMode;
import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upload road decides where decoding runs: a worker decodes where it is; the event loop only decodes what
 * takes microseconds (a small plain PNG, small .npy) and hands the rest (large images, JPEG, anything through
 * ImageIO) to the encoding pool. Either way the same images come out.
 */
class UploadsTest {
    private static final ImageShape SHAPE = new ImageShape(1, 32, 32);
    private static Vertx vertx;
    private static EncodingPool pool;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        pool = new EncodingPool();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void onlyCheapBodiesAreDecodedOnTheEventLoop() throws Exception {
        byte[] smallPng = png(32, "png");
        byte[] largePng = png(256, "png");
        byte[] jpeg = png(32, "jpeg");
        byte[] npy = NpyWriter.write(new ImageBatch(SHAPE, 1, new float[SHAPE.size()]));
        assertThat(Uploads.cheapToDecode(smallPng)).isTrue();
        assertThat(Uploads.cheapToDecode(npy)).isTrue();
        assertThat(Uploads.cheapToDecode(largePng)).as("256x256 declares more than 64x64 pixels").isFalse();
        assertThat(Uploads.cheapToDecode(jpeg)).as("ImageIO's fixed cost").isFalse();

        // on a worker (this test's thread) everything decodes in place
        assertThat(Uploads.decodesHere(false)).isTrue();
        CompletableFuture<boolean[]> onLoop = new CompletableFuture<>();
        vertx.runOnContext(ignored -> onLoop.complete(new boolean[] {
                Uploads.decodesHere(Uploads.cheapToDecode(smallPng)), Uploads.decodesHere(Uploads.cheapToDecode(largePng)),
                Uploads.decodesHere(Uploads.cheapToDecode(jpeg)), Uploads.decodesHere(Uploads.cheapToDecode(npy))}));
        assertThat(onLoop.get(10, TimeUnit.SECONDS)).containsExactly(true, false, false, true);
    }

    @Test
    void theSameImagesComeOutWhereverTheyAreDecoded() throws Exception {
        Uploads uploads = new Uploads(new ImageDecoder(4096), pool);
        UploadSpec spec = new UploadSpec("POST /test", UploadSpec.IMAGES_OR_NPY, SHAPE, ResizeMode.SCALE, 4, "");
        byte[] large = png(256, "png");
        float[] here = uploads.body(large, "image/png", spec).toCompletableFuture().get(10, TimeUnit.SECONDS).packed();
        CompletableFuture<float[]> fromLoop = new CompletableFuture<>();
        vertx.runOnContext(ignored -> uploads.body(large, "image/png", spec).whenComplete((images, error) -> {
            if (error != null) {
                fromLoop.completeExceptionally(error);
            } else {
                fromLoop.complete(images.packed());
            }
        }));
        assertThat(fromLoop.get(10, TimeUnit.SECONDS)).containsExactly(here);
    }

    /** A grey gradient image of side {@code side}, encoded by ImageIO. */
    private static byte[] png(int side, String format) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.getRaster().setSample(x, y, 0, Pixels.toPixel((x + y) / (float) side - 1));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
