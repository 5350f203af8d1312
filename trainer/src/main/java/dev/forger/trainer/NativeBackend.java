package dev.forger.trainer;

/**
 * Chooses ND4J's native build before anything touches ND4J.
 *
 * <p>The build ships only the oneDNN/AVX2 variant of libnd4j (about 4x faster here than the plain
 * one); JavaCPP finds it only when told the platform extension. Every entry point that may load
 * ND4J calls {@link #init()} first.
 */
public final class NativeBackend {

    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String EXTENSION = "-onednn-avx2";

    private NativeBackend() {
    }

    public static void init() {
        if (System.getProperty(EXTENSION_PROPERTY) == null) {
            System.setProperty(EXTENSION_PROPERTY, EXTENSION);
        }
    }
}
