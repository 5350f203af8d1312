package dev.forger.trainer.training;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 * In both passes D runs in training mode (batch statistics), as PyTorch's recipe does. Activations live in
 * workspaces reused across iterations ({@link WorkspacePass}); what is computed is the same as with fresh buffers.
 */
final class GanStep {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final WorkspacePass generatorPass;
    private final WorkspacePass discriminatorPass;
    /** D's gradient on the real batch, kept while the fake batch's gradient is computed into D's gradient view */
    private final INDArray realGradient;

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator) {
        this(generator, discriminator, WorkspacePass.Memory.WORKSPACE);
    }

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator, WorkspacePass.Memory memory) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.generatorPass = new WorkspacePass(generator, "G", memory);
        this.discriminatorPass = new WorkspacePass(discriminator, "D", memory);
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            this.realGradient = discriminator.params().ulike();
        }
    }

    /** Losses and D's verdicts measured during one iteration. */
    record Stats(double dLoss, double gLoss, double dReal, double dFake) {
    }

    Stats run(INDArray real, INDArray zForD, INDArray zForG, int iteration, int epoch) {
        int batch = (int) real.size(0);

        // discriminator: real → 1, fake → 0, one Adam step on the sum
        LogitLoss onReal;
        LogitLoss onFake;
        Gradient dGradient;
        try (MemoryWorkspace fakes = generatorPass.open()) {
            INDArray fake = generatorPass.forward(zForD);
            try (MemoryWorkspace d = discriminatorPass.open()) {
                onReal = LogitLoss.of(discriminatorPass.forward(real), 1.0);
                realGradient.assign(discriminatorPass.backward(onReal.gradient()).getFirst().gradient());
            }
            try (MemoryWorkspace d = discriminatorPass.open()) {
                onFake = LogitLoss.of(discriminatorPass.forward(fake), 0.0);
                dGradient = discriminatorPass.backward(onFake.gradient()).getFirst();
            }
        }
        dGradient.gradient().addi(realGradient);
        apply(discriminator, dGradient, iteration, epoch, batch);

        // generator: make D call a fresh fake batch real; only G's parameters move
        LogitLoss fooled;
        Gradient gGradient;
        try (MemoryWorkspace fakes = generatorPass.open()) {
            INDArray fake = generatorPass.forward(zForG);
            INDArray fakeGradient;
            try (MemoryWorkspace d = discriminatorPass.open()) {
                fooled = LogitLoss.of(discriminatorPass.forward(fake), 1.0);
                fakeGradient = discriminatorPass.backward(fooled.gradient()).getSecond();
            }
            gGradient = generatorPass.backward(fakeGradient).getFirst();
        }
        apply(generator, gGradient, iteration, epoch, batch);

        return new Stats(onReal.meanLoss() + onFake.meanLoss(), fooled.meanLoss(),
                onReal.meanProbability(), onFake.meanProbability());
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
