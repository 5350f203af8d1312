package dev.forger.graph.autodiff;

import dev.forger.graph.onnx.Attributes;
import dev.forger.graph.onnx.NodeBuilder;

/**
 * Conv and ConvTranspose are each other's adjoint (the transposed linear map), with the same
 * weights, strides, pads and dilations; no kernel flipping, because ONNX's weight layouts
 * (Conv [M, C, k...], ConvTranspose [C_in, C_out, k...]) already line up.
 *
 * <p>A strided Conv may not reach the last input rows or the last padding rows (when
 * (H + pads - kernel) is not a multiple of the stride). ConvTranspose's {@code output_padding}
 * would fix that with a static H; instead the backward ConvTranspose crops only the begin pads and
 * its output is then cut or zero-padded to the input's run-time size ({@link Emitter#fitSpatialTo}),
 * which works with any H.
 */
final class ConvRules {
    private ConvRules() {}

    static final class Conv implements Rule {
        @Override
        public void backward(Step s) {
            Attributes a = s.attr();
            requireSupported(s, a);
            int spatial = spatialRank(s, a);
            String x = s.in(0);
            NodeBuilder convT = s.e().node("ConvTranspose", s.grad(), s.in(1));
            copyGeometry(a, convT, spatial, true);
            String gx = convT.output(s.e().fresh("grad_conv"));
            s.give(0, s.e().fitSpatialTo(gx, x, spatial));
        }
    }

    static final class ConvTranspose implements Rule {
        @Override
        public void backward(Step s) {
            Attributes a = s.attr();
            requireSupported(s, a);
            if (a.has("output_shape")) {
                throw s.unsupported("output_shape is not supported; give pads and output_padding instead");
            }
            int spatial = spatialRank(s, a);
            // output_padding only widens Y at the end; the adjoint Conv with the same pads reads
            // zeros there and still yields exactly X's size
            NodeBuilder conv = s.e().node("Conv", s.grad(), s.in(1));
            copyGeometry(a, conv, spatial, false);
            s.give(0, conv.output(s.e().fresh("grad_convtranspose")));
        }
    }

    private static void requireSupported(Step s, Attributes a) {
        if (a.getInt("group", 1) != 1) {
            throw s.unsupported("group=" + a.getInt("group", 1) + " is not supported, only group=1");
        }
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw s.unsupported("auto_pad=" + autoPad + " is not supported; export with explicit pads");
        }
    }

    private static void copyGeometry(Attributes a, NodeBuilder node, int spatial, boolean beginPadsOnly) {
        node.ints("strides", a.getInts("strides", ones(spatial)));
        node.ints("dilations", a.getInts("dilations", ones(spatial)));
        boolean valid = a.getString("auto_pad", "NOTSET").equals("VALID");
        long[] pads = valid ? new long[2 * spatial] : a.getInts("pads", new long[2 * spatial]);
        node.ints("pads", beginPadsOnly ? Emitter.beginPadsOnly(pads) : pads);
    }

    /** The number of spatial axes, from the kernel_shape attribute or the weight's rank. */
    private static int spatialRank(Step s, Attributes a) {
        long[] kernel = a.getInts("kernel_shape");
        if (kernel != null) {
            return kernel.length;
        }
        return s.e().rank(s.in(1)).orElseThrow(() -> s.unsupported(
                "neither kernel_shape nor the rank of the weight '" + s.in(1) + "' is known")) - 2;
    }

    static long[] ones(int n) {
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }
}
