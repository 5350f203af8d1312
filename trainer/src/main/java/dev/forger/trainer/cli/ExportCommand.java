package dev.forger.trainer.cli;

import dev.forger.trainer.export.BundleExporter;
import dev.forger.trainer.export.DcganOnnxExporter;
import dev.forger.trainer.export.ExportException;
import dev.forger.trainer.export.ExportResult;
import dev.forger.trainer.export.VerificationFailedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: a checkpoint as a verified ONNX model bundle for the service.
 * Exit 0 with a verification summary; 2 with a one-line error for bad input; 1 when the exported
 * models do not compute what the checkpoint's nets compute.
 */
// no mixinStandardHelpOptions: its --version would clash with the bundle's --version
@Command(name = "export",
        description = "Export a checkpoint to an ONNX model bundle (generator.onnx, discriminator.onnx, "
                + "discriminator-grad.onnx, classifier.onnx when the run trained one, manifest.json), verify it with "
                + "ONNX Runtime and measure the served nets on the run's held-out images.")
public class ExportCommand implements Callable<Integer> {

    static final int EXIT_VERIFICATION_FAILED = 1;

    @Option(names = "--checkpoint", required = true,
            description = "A run directory (its newest checkpoint) or one checkpoints/epoch-NNNN folder.")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "The bundle directory to create (must not exist or be empty).")
    Path out;

    @Option(names = "--name", description = "Bundle name (default: the name of the --out folder).")
    String name;

    @Option(names = "--version", description = "Bundle version (default: today as yyyy-MM-dd.1).")
    String version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    /** Makes the exporter; tests swap in one that corrupts its output. */
    Supplier<BundleExporter> exporter = BundleExporter::new;

    /** Today's date with revision 1, the manifest's version convention. */
    static String defaultVersion(LocalDate today) {
        return today + ".1";
    }

    /** The bundle is named after its folder, as the service lists bundle folders by name. */
    static String defaultName(Path out) {
        Path file = out.toAbsolutePath().normalize().getFileName();
        return file == null ? "" : file.toString();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String v = version != null ? version : defaultVersion(LocalDate.now());
        String name = this.name != null ? this.name : defaultName(this.out);
        try {
            ExportResult result = exporter.get().export(checkpoint, this.out, name, v);
            out.printf("exported %s %s (epoch %d) to %s%n", name, v, result.epoch(), result.bundleDir());
            out.printf("  inputs/outputs: generator %s -> %s, discriminator %s -> %s, gradient %s + %s -> %s + %s%n",
                    DcganOnnxExporter.LATENT, DcganOnnxExporter.IMAGE, DcganOnnxExporter.IMAGE, DcganOnnxExporter.LOGIT,
                    DcganOnnxExporter.IMAGE, DcganOnnxExporter.TARGET, DcganOnnxExporter.LOGIT, DcganOnnxExporter.GRAD);
            out.println("verified with ONNX Runtime against DL4J:");
            out.println(result.verification().summary());
            out.println("measured with ONNX Runtime on the run's held-out images (manifest metrics):");
            out.println(result.served().describe());
            out.flush();
            return 0;
        } catch (ExportException e) {
            err.println("error: " + e.getMessage());
            return PreviewCommand.EXIT_BAD_DATA;
        } catch (VerificationFailedException e) {
            err.println("error: verification failed, no bundle written:");
            err.println(e.report().summary());
            return EXIT_VERIFICATION_FAILED;
        }
    }
}
