package dev.forger.service.registry;

import dev.forger.graph.compose.Net;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A bundle's networks read as ONNX models for composition: the generator (behind a reshape adapter when
 * it takes z as [N, dim, 1, 1], see {@link GeneratorInput}), the discriminator, and the optional
 * classifier with its class names (the manifest's, else "0".."K-1" from its output's fixed class
 * dimension).
 *
 * @param adaptedGenerator the generator as served when it needed an adapter (its input is then {@code z}),
 *                         else null: the bundle's own file is served
 * @param classifier       null when the bundle has none
 * @param classes          the classifier's class names in output order; empty without a classifier
 */
record BundleNets(Net generator, Net discriminator, OnnxModel adaptedGenerator, Net classifier, List<String> classes) {

    /**
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when a file is not an ONNX model, a declared name is missing, or the
     *                                  classifier's classes cannot be told (the bundle is broken: refused)
     */
    static BundleNets read(Path directory, BundleManifest manifest) throws IOException {
        BundleManifest.Network g = manifest.generator();
        OnnxModel generator = OnnxModel.read(directory.resolve(g.file()));
        String generatorInput = g.input() != null ? g.input() : generator.inputs().get(0).name();
        String generatorOutput = g.output() != null ? g.output() : generator.outputs().get(0).name();
        OnnxModel adapted = null;
        Net generatorNet;
        if (GeneratorInput.isFourDimensional(generator, generatorInput)) {
            adapted = GeneratorInput.flattened(generator, generatorInput, manifest.latent().dim());
            generatorNet = new Net(adapted, GeneratorInput.Z, generatorOutput);
        } else {
            generatorNet = new Net(generator, generatorInput, generatorOutput);
        }
        BundleManifest.Network d = manifest.discriminator();
        Net discriminator = new Net(OnnxModel.read(directory.resolve(d.file())), d.input(), d.output());
        BundleManifest.Classifier c = manifest.classifier();
        if (c == null) {
            return new BundleNets(generatorNet, discriminator, adapted, null, List.of());
        }
        Net classifier = new Net(OnnxModel.read(directory.resolve(c.file())), c.input(), c.output());
        return new BundleNets(generatorNet, discriminator, adapted, classifier, classes(c, classifier));
    }

    private static List<String> classes(BundleManifest.Classifier member, Net classifier) {
        List<ValueInfo.Dimension> shape = classifier.model().output(classifier.output()).shape();
        Long fixed = shape.size() == 2 && shape.get(1).isFixed() ? shape.get(1).size() : null;
        if (shape.size() != 2 && !shape.isEmpty()) {
            throw new IllegalArgumentException(member.file() + ": output '" + classifier.output() + "' has shape "
                    + shape + "; a classifier answers [N, classes]");
        }
        List<String> names = member.classes();
        if (names != null) {
            if (fixed != null && fixed != names.size()) {
                throw new IllegalArgumentException(member.file() + " answers " + fixed + " classes but the manifest"
                        + " names " + names.size() + ": " + names);
            }
            return List.copyOf(names);
        }
        if (fixed == null || fixed < 2) {
            throw new IllegalArgumentException(member.file() + ": the number of classes cannot be read from output '"
                    + classifier.output() + "' (shape " + shape + "); name them in the manifest's classifier.classes");
        }
        return IntStream.range(0, fixed.intValue()).mapToObj(String::valueOf).toList();
    }
}
