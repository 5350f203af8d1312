package dev.forger.trainer.cli;

import dev.forger.trainer.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar dcgan-trainer.jar <command>}: the trainer's command line. */
@Command(name = "dcgan-trainer", mixinStandardHelpOptions = true, version = "Forger trainer 0.1.0",
        description = "Train Forger's DCGAN with Deeplearning4j, look at data and samples, export ONNX bundles.",
        subcommands = {TrainCommand.class, PreviewCommand.class, SampleCommand.class, BenchmarkCommand.class,
                ExportCommand.class, QualityCommand.class})
public final class TrainerCli {

    public static void main(String[] args) {
        NativeBackend.init();
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new TrainerCli()).execute(args));
    }
}
