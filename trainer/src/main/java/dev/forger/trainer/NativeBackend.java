package dev.forger.trainer;

/**
 * Chooses ND4J's native build before anything touches ND4J.
 *
 * <p>The CPU build ships only the oneDNN/AVX2 variant of libnd4j (about 4x faster here than the plain
 * one); JavaCPP finds it only when told the platform extension. The CUDA build ({@code -Pcuda}) has no
 * such variant, so the extension is set only when the oneDNN binaries are on the class path. Every
 * entry point that may load ND4J calls {@link #init()} first.
 */
public final class NativeBackend {

    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String EXTENSION = "-onednn-avx2";
    private static final String ONEDNN_BINARIES = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + EXTENSION + "/";

    private NativeBackend() {
    }

    public static void init() {
        if (System.getProperty(EXTENSION_PROPERTY) == null
                && NativeBackend.class.getClassLoader().getResource(ONEDNN_BINARIES) != null) {
            System.setProperty(EXTENSION_PROPERTY, EXTENSION);
        }
    }
}
