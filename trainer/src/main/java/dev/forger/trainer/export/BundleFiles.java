package dev.forger.trainer.export;

/**
 * The bundle's ONNX files and their checksums.
 *
 * @param generatorSha256     sha256 of {@value #GENERATOR}
 * @param discriminatorSha256 sha256 of {@value #DISCRIMINATOR}
 * @param gradientSha256      sha256 of {@value #GRADIENT}
 */
record BundleFiles(String generatorSha256, String discriminatorSha256, String gradientSha256) {
    static final String GENERATOR = "generator.onnx";
    static final String DISCRIMINATOR = "discriminator.onnx";
    static final String GRADIENT = "discriminator-grad.onnx";
}
