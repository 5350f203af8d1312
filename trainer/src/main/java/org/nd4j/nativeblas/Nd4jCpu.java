package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * The class DL4J 1.0.0-M2.1 asks whether libnd4j was built with oneDNN, under the name it asks for.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} by reflection, a name from older
 * ND4J releases; in 1.0.0-M2.1 the bindings are {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}
 * and the flag is {@code isUseONEDNN}. Without this class the check fails, DL4J drops its oneDNN layer helpers
 * (convolution, BatchNorm, pooling) and convolutions run through its Java-side im2col. Nothing else in ND4J or
 * DL4J refers to this name. It forwards to the real flag, so it answers false when oneDNN is switched off in
 * libnd4j ({@code setUseONEDNN(false)}) or the backend is not the CPU one.
 *
 * <p>Written here because no released DL4J fixes the lookup; {@code dev.forger.trainer.NativeBackend} also
 * lifts DL4J's {@code org.eclipse.deeplearning4j.helpers.disable} default, the other switch that keeps the
 * helpers off.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The one method DL4J calls, {@code isUseMKLDNN}, answered by libnd4j's {@code isUseONEDNN}. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private static final String BINDINGS = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                // by reflection: the -Pcuda build has no CPU bindings to compile against
                Class<?> bindings = Class.forName(BINDINGS);
                Object environment = bindings.getMethod("getInstance").invoke(null);
                Method useOneDnn = bindings.getMethod("isUseONEDNN");
                return (Boolean) useOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
