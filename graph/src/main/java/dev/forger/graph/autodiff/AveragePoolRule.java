package dev.forger.graph.autodiff;

import dev.forger.graph.onnx.Attributes;
import dev.forger.graph.onnx.Tensors;

/**
 * AveragePool spreads each output's gradient evenly over its window: divide by the window's
 * divisor, then a ConvTranspose with an all-ones kernel adds each share back onto the window's
 * elements. Channels are folded into the batch ([N*C, 1, ...]) so one single-channel kernel
 * serves them all. With {@code count_include_pad=0} (the default) border windows divide by the
 * number of real elements; that count comes from average-pooling a tensor of ones with padding
 * counted. GlobalAveragePool is the whole-plane case: dx = g / (H*W) broadcast.
 */
final class AveragePoolRule implements Rule {
    @Override
    public void backward(Step s) {
        Emitter e = s.e();
        String x = s.in(0);
        if (s.node().getOpType().equals("GlobalAveragePool")) {
            String spatial = e.node("Slice", e.shape(x), e.int64s(2), e.int64s(Long.MAX_VALUE)).output(e.fresh("spatial"));
            String count = e.node("Cast", e.node("ReduceProd", spatial).attr("keepdims", 1L).output(e.fresh("plane")))
                    .attr("to", (long) ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE).output(e.fresh("plane_size"));
            String spread = e.op("Expand", "grad_expand", s.grad(), e.shape(x));
            s.give(0, e.op("Div", "grad_gap", spread, count));
            return;
        }
        Attributes a = s.attr();
        long[] kernel = a.getInts("kernel_shape");
        if (kernel == null) {
            throw s.unsupported("kernel_shape is missing");
        }
        int spatial = kernel.length;
        if (a.getInt("ceil_mode", 0) != 0) {
            throw s.unsupported("ceil_mode=1 is not supported");
        }
        for (long d : a.getInts("dilations", ConvRules.ones(spatial))) {
            if (d != 1) {
                throw s.unsupported("dilations other than 1 are not supported");
            }
        }
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw s.unsupported("auto_pad=" + autoPad + " is not supported; export with explicit pads");
        }
        long[] strides = a.getInts("strides", ConvRules.ones(spatial));
        long[] pads = autoPad.equals("VALID") ? new long[2 * spatial] : a.getInts("pads", new long[2 * spatial]);
        long windowSize = 1;
        for (long k : kernel) {
            windowSize *= k;
        }
        boolean padded = false;
        for (long p : pads) {
            padded |= p != 0;
        }

        String share;
        if (padded && a.getInt("count_include_pad", 0) == 0) {
            String ones = e.node("ConstantOfShape", e.shape(x)).attr("value", Tensors.floats("one", new float[] {1f}, 1))
                    .output(e.fresh("ones"));
            String fraction = e.node("AveragePool", ones).ints("kernel_shape", kernel).ints("strides", strides)
                    .ints("pads", pads).attr("count_include_pad", 1L).output(e.fresh("window_fraction"));
            share = e.op("Div", "grad_share", s.grad(), e.scale(fraction, windowSize));
        } else {
            share = e.scale(s.grad(), 1f / windowSize);
        }

        String gridShape = e.node("Slice", e.shape(share), e.int64s(2), e.int64s(Long.MAX_VALUE)).output(e.fresh("grid"));
        String folded = e.node("Concat", e.int64s(-1, 1), gridShape).attr("axis", 0L).output(e.fresh("folded_shape"));
        float[] ones = new float[(int) windowSize];
        java.util.Arrays.fill(ones, 1f);
        long[] kernelShape = new long[spatial + 2];
        kernelShape[0] = 1;
        kernelShape[1] = 1;
        System.arraycopy(kernel, 0, kernelShape, 2, spatial);
        String spread = e.node("ConvTranspose", e.op("Reshape", "grad_folded", share, folded), e.floats(ones, kernelShape))
                .ints("strides", strides).ints("pads", Emitter.beginPadsOnly(pads)).output(e.fresh("grad_avgpool"));
        // cut end padding / add never-read rows as zeros; then unfold the channels again
        String full = e.fitSpatialTo(spread, x, spatial);
        s.give(0, e.reshapeLike(full, x));
    }
}
