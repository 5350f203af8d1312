package dev.forger.trainer.export;

/**
 * The bundle's ONNX files and their checksums.
 *
 * @param generatorSha256     sha256 of {@value #GENERATOR}
 * @param discriminatorSha256 sha256 of {@value #DISCRIMINATOR}
 * @param gradientSha256      sha256 of {@value #GRADIENT}
 * @param classifierSha256    sha256 of {@value #CLASSIFIER}, or null when the bundle has no classifier
 */
record BundleFiles(String generatorSha256, String discriminatorSha256, String gradientSha256, String classifierSha256) {
    static final String GENERATOR = "generator.onnx";
    static final String DISCRIMINATOR = "discriminator.onnx";
    static final String GRADIENT = "discriminator-grad.onnx";
    static final String CLASSIFIER = "classifier.onnx";
}
