package dev.forger.trainer.export;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;

/**
 * Kernel, strides and explicit ONNX pads ([top, left, bottom, right]) of a DL4J 2-D convolution or
 * transposed convolution, read from its configuration.
 *
 * <p>{@code Truncate} and {@code Strict} pad symmetrically by the configured padding, which is what
 * ONNX's explicit pads do. {@code Same} lets DL4J choose the padding from the input size; it is
 * mapped only when that padding is symmetric, since where DL4J puts an odd extra row is not part
 * of its contract. Dilation other than 1 and channels-last data are refused.
 *
 * @param kernel  [kh, kw]
 * @param strides [sh, sw]
 * @param pads    [top, left, bottom, right]
 */
record ConvGeometry(long[] kernel, long[] strides, long[] pads) {

    /**
     * @param inputHeight the layer's input height (used by {@code Same} mode)
     * @param inputWidth  the layer's input width
     */
    static ConvGeometry of(ConvolutionLayer conf, long inputHeight, long inputWidth, String layer) {
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        int[] d = conf.getDilation();
        if (k.length != 2 || s.length != 2 || p.length != 2) {
            throw new UnsupportedLayerException(layer + ": expected 2-D kernel, stride and padding, got kernel "
                    + Arrays.toString(k) + ", stride " + Arrays.toString(s) + ", padding " + Arrays.toString(p));
        }
        if (d != null && Arrays.stream(d).anyMatch(x -> x != 1)) {
            throw new UnsupportedLayerException(layer + ": dilation " + Arrays.toString(d) + " is not supported (only 1)");
        }
        if (conf.getCnn2dDataFormat() != null && conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedLayerException(layer + ": data format " + conf.getCnn2dDataFormat()
                    + " is not supported (only NCHW)");
        }
        long[] kernel = {k[0], k[1]};
        long[] strides = {s[0], s[1]};
        ConvolutionMode mode = conf.getConvolutionMode() == null ? ConvolutionMode.Truncate : conf.getConvolutionMode();
        long[] pads = switch (mode) {
            case Truncate, Strict -> new long[] {p[0], p[1], p[0], p[1]};
            case Same -> samePads(conf instanceof Deconvolution2D, kernel, strides,
                    new long[] {inputHeight, inputWidth}, layer);
            default -> throw new UnsupportedLayerException(layer + ": convolution mode " + mode
                    + " is not supported (Truncate, Strict, or Same with symmetric padding)");
        };
        return new ConvGeometry(kernel, strides, pads);
    }

    /**
     * Same mode: a convolution gives ceil(in / s) outputs, a transposed one in · s; the total
     * padding that yields that size must split evenly between both sides.
     */
    private static long[] samePads(boolean transposed, long[] kernel, long[] strides, long[] input, String layer) {
        long[] pads = new long[4];
        for (int axis = 0; axis < 2; axis++) {
            long total;
            if (transposed) {
                total = kernel[axis] - strides[axis];
            } else {
                long out = (input[axis] + strides[axis] - 1) / strides[axis];
                total = Math.max(0, (out - 1) * strides[axis] + kernel[axis] - input[axis]);
            }
            if (total < 0 || total % 2 != 0) {
                throw new UnsupportedLayerException(layer + ": ConvolutionMode.Same needs a total padding of " + total
                        + " along " + (axis == 0 ? "height" : "width") + " (kernel " + kernel[axis] + ", stride "
                        + strides[axis] + ", input " + input[axis] + "), which is asymmetric; "
                        + "use ConvolutionMode.Truncate with explicit padding");
            }
            pads[axis] = total / 2;
            pads[axis + 2] = total / 2;
        }
        return pads;
    }

    @Override
    public String toString() {
        return "kernel " + Arrays.toString(kernel) + ", strides " + Arrays.toString(strides) + ", pads "
                + Arrays.toString(pads);
    }
}
