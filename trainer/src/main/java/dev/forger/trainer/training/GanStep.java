package dev.forger.trainer.training;

import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One GAN iteration as in the seed's recipe: one discriminator update on the summed loss of a real and a fake
 * batch, then one generator update through the discriminator.
 *
 * <p>Both updates are driven by hand with DL4J's external-errors API instead of {@code fit}, because
 * <ul>
 *   <li>real and fake batches must pass through D separately (their own BatchNorm statistics, as in the
 *       DCGAN paper) yet give a single optimiser step: two {@code fit} calls would be two Adam steps;</li>
 *   <li>the generator is trained through D without touching D's weights: D's input gradient is fed into
 *       {@code G.backpropGradient}. DL4J's {@code FrozenLayerWithBackprop} would run D's BatchNorm in inference
 *       mode while back-propagating as if in training mode, i.e. wrong G gradients.</li>
 * </ul>
 * In both passes D runs in training mode (batch statistics), as PyTorch's recipe does.
 */
final class GanStep {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator) {
        this.generator = generator;
        this.discriminator = discriminator;
    }

    /** Losses and D's verdicts measured during one iteration. */
    record Stats(double dLoss, double gLoss, double dReal, double dFake) {
    }

    Stats run(INDArray real, INDArray zForD, INDArray zForG, int iteration, int epoch) {
        int batch = (int) real.size(0);

        // discriminator: real → 1, fake → 0, one Adam step on the sum
        INDArray fake = generator.output(zForD, true);
        Pass onReal = pass(discriminator, real, 1.0);
        INDArray realGradient = onReal.gradient().gradient().dup();
        Pass onFake = pass(discriminator, fake, 0.0);
        Gradient dGradient = onFake.gradient();
        dGradient.gradient().addi(realGradient);
        apply(discriminator, dGradient, iteration, epoch, batch);

        // generator: make D call a fresh fake batch real; only G's parameters move
        generator.setInput(zForG);
        List<INDArray> activations = generator.feedForward(true, false);
        Pass fooled = pass(discriminator, activations.get(activations.size() - 1), 1.0);
        Pair<Gradient, INDArray> gPass = generator.backpropGradient(fooled.inputGradient(), NO_WORKSPACES);
        apply(generator, gPass.getFirst(), iteration, epoch, batch);

        return new Stats(onReal.loss().meanLoss() + onFake.loss().meanLoss(), fooled.loss().meanLoss(),
                onReal.loss().meanProbability(), onFake.loss().meanProbability());
    }

    private record Pass(LogitLoss loss, Gradient gradient, INDArray inputGradient) {
    }

    /** Forward in training mode, loss towards {@code target}, backward to parameters and input. */
    private static Pass pass(MultiLayerNetwork net, INDArray input, double target) {
        net.setInput(input);
        List<INDArray> activations = net.feedForward(true, false);
        LogitLoss loss = LogitLoss.of(activations.get(activations.size() - 1), target);
        Pair<Gradient, INDArray> backward = net.backpropGradient(loss.gradient(), NO_WORKSPACES);
        return new Pass(loss, backward.getFirst(), backward.getSecond());
    }

    /** What {@code fit} does after computing gradients: updater (Adam, ÷ batch size), then params -= update. */
    private static void apply(MultiLayerNetwork net, Gradient gradient, int iteration, int epoch, int batch) {
        net.getUpdater().update(net, gradient, iteration, epoch, batch, NO_WORKSPACES);
        net.params().subi(gradient.gradient());
        net.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        net.getLayerWiseConfigurations().setEpochCount(epoch);
        net.clear();
    }
}
