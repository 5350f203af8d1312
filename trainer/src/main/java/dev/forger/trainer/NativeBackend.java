package dev.forger.trainer;

/**
 * Chooses ND4J's native build and turns on DL4J's oneDNN layer helpers before anything touches ND4J.
 *
 * <p>The CPU build ships only the oneDNN/AVX2 variant of libnd4j (about 4x faster here than the plain
 * one); JavaCPP finds it only when told the platform extension. The CUDA build ({@code -Pcuda}) has no
 * such variant, so the extension is set only when the oneDNN binaries are on the class path.
 *
 * <p>DL4J 1.0.0-M2.1 creates a layer's helper (oneDNN convolution and BatchNorm on the CPU, cuDNN on CUDA)
 * only when the system property {@value #HELPERS_DISABLED_PROPERTY} is {@code false}, and its default is
 * {@code true}: without it every convolution runs through DL4J's Java-side im2col. The property is read when a
 * layer is built, so {@link #init()} sets it unless the command line did ({@code -D…=true} keeps DL4J's
 * built-in implementations, for comparisons). The second gate, DL4J's check that libnd4j has oneDNN, looks
 * for a class name that ND4J no longer has; {@link org.nd4j.nativeblas.Nd4jCpu} supplies it. Every entry point
 * that may load ND4J calls {@link #init()} first.
 */
public final class NativeBackend {

    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String EXTENSION = "-onednn-avx2";
    public static final String HELPERS_DISABLED_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    private static final String ONEDNN_BINARIES = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + EXTENSION + "/";

    private NativeBackend() {
    }

    public static void init() {
        if (System.getProperty(EXTENSION_PROPERTY) == null
                && NativeBackend.class.getClassLoader().getResource(ONEDNN_BINARIES) != null) {
            System.setProperty(EXTENSION_PROPERTY, EXTENSION);
        }
        if (System.getProperty(HELPERS_DISABLED_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLED_PROPERTY, "false");
        }
    }

    /** Whether layers built from now on get DL4J's oneDNN/cuDNN helpers (where the backend has them). */
    public static boolean layerHelpersEnabled() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLED_PROPERTY, "true"));
    }
}
