package dev.forger.trainer.export;

/**
 * A DL4J network holds something the ONNX export cannot reproduce exactly (a layer type, an
 * activation, a convolution mode or setting). The message names the layer, so the fix is obvious:
 * change that layer, or teach the exporter a mapping for it.
 */
public final class UnsupportedLayerException extends RuntimeException {
    public UnsupportedLayerException(String message) {
        super(message);
    }
}
