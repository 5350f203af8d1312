package dev.forger.trainer.training;

import dev.forger.trainer.nets.DiscriminatorBatches;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
 *
 * <p>With {@link DiscriminatorBatches#MIXED} the real and the fake batch go through D as one batch of 2N instead
 * (targets 1 for the real half, 0 for the fake half), and G's step passes a real batch beside its fakes too, with a
 * loss on the fake half only: D then normalises by the mixture's statistics in both steps, which is what its
 * running averages (and so the exported, served net) use. Losses are means over each half, as in the separate
 * recipe, and the updater divides by N in both, so one step has the same scale either way.
 */
final class GanStep {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final DiscriminatorBatches batches;
    private final WorkspacePass generatorPass;
    private final WorkspacePass discriminatorPass;
    /** D's gradient on the real batch, kept while the fake batch's gradient is computed into D's gradient view */
    private final INDArray realGradient;

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator) {
        this(generator, discriminator, DiscriminatorBatches.SEPARATE, WorkspacePass.Memory.WORKSPACE);
    }

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator, DiscriminatorBatches batches) {
        this(generator, discriminator, batches, WorkspacePass.Memory.WORKSPACE);
    }

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator, WorkspacePass.Memory memory) {
        this(generator, discriminator, DiscriminatorBatches.SEPARATE, memory);
    }

    GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator, DiscriminatorBatches batches,
            WorkspacePass.Memory memory) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.batches = batches;
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
        return batches == DiscriminatorBatches.MIXED ? mixed(real, zForD, zForG, iteration, epoch)
                : separate(real, zForD, zForG, iteration, epoch);
    }

    private Stats separate(INDArray real, INDArray zForD, INDArray zForG, int iteration, int epoch) {
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

    private Stats mixed(INDArray real, INDArray zForD, INDArray zForG, int iteration, int epoch) {
        int batch = (int) real.size(0);

        // discriminator: [real; fake] → [1; 0], one pass, one Adam step
        MixedLoss d;
        Gradient dGradient;
        try (MemoryWorkspace fakes = generatorPass.open()) {
            INDArray fake = generatorPass.forward(zForD);
            try (MemoryWorkspace ws = discriminatorPass.open()) {
                d = MixedLoss.of(discriminatorPass.forward(Nd4j.concat(0, real, fake)), batch, 0.0);
                dGradient = discriminatorPass.backward(d.outputGradient()).getFirst();
            }
        }
        apply(discriminator, dGradient, iteration, epoch, batch);

        // generator: [real; G(z)] through D, loss on the fake half towards 1; D's weights do not move
        MixedLoss fooled;
        Gradient gGradient;
        try (MemoryWorkspace fakes = generatorPass.open()) {
            INDArray fake = generatorPass.forward(zForG);
            INDArray inputGradient;
            try (MemoryWorkspace ws = discriminatorPass.open()) {
                fooled = MixedLoss.of(discriminatorPass.forward(Nd4j.concat(0, real, fake)), batch, 1.0);
                // detached (see WorkspacePass.backward), so it outlives D's scope
                inputGradient = discriminatorPass.backward(fooled.outputGradient()).getSecond();
            }
            // its fake half feeds G; copied outside every workspace, like the separate recipe's input gradient
            INDArray fakeGradient;
            try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                fakeGradient = inputGradient.get(NDArrayIndex.interval(batch, 2 * batch)).dup();
            }
            gGradient = generatorPass.backward(fakeGradient).getFirst();
        }
        apply(generator, gGradient, iteration, epoch, batch);

        return new Stats(d.onReal().meanLoss() + d.onFake().meanLoss(), fooled.onFake().meanLoss(),
                d.onReal().meanProbability(), d.onFake().meanProbability());
    }

    /**
     * Losses of one training-mode pass over [real (n); fake (n)]: the fake half's towards {@code fakeTarget}; the
     * real half's towards 1 counts only when the fake target is 0 (D's step), and is measured but carries no
     * gradient otherwise (G's step, where the real images only share the statistics).
     */
    private record MixedLoss(LogitLoss onReal, LogitLoss onFake, INDArray outputGradient) {
        static MixedLoss of(INDArray logits, int n, double fakeTarget) {
            LogitLoss onReal = LogitLoss.of(logits.get(NDArrayIndex.interval(0, n)), 1.0);
            LogitLoss onFake = LogitLoss.of(logits.get(NDArrayIndex.interval(n, 2 * n)), fakeTarget);
            INDArray realGradient = fakeTarget == 0.0 ? onReal.gradient()
                    : Nd4j.zeros(onReal.gradient().dataType(), n, 1);
            return new MixedLoss(onReal, onFake, Nd4j.concat(0, realGradient, onFake.gradient()));
        }
    }

    record Pass(LogitLoss loss, Gradient gradient, INDArray inputGradient) {
    }

    /** Forward in training mode with fresh buffers, loss towards {@code target}, backward to parameters and input. */
    static Pass pass(MultiLayerNetwork net, INDArray input, double target) {
        net.setInput(input);
        List<INDArray> activations = net.feedForward(true, false);
        LogitLoss loss = LogitLoss.of(activations.get(activations.size() - 1), target);
        Pair<Gradient, INDArray> backward = net.backpropGradient(loss.gradient(), NO_WORKSPACES);
        return new Pass(loss, backward.getFirst(), backward.getSecond());
    }

    /** What {@code fit} does after computing gradients: updater (Adam, ÷ batch size), then params -= update. */
    static void apply(MultiLayerNetwork net, Gradient gradient, int iteration, int epoch, int batch) {
        net.getUpdater().update(net, gradient, iteration, epoch, batch, NO_WORKSPACES);
        net.params().subi(gradient.gradient());
        net.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        net.getLayerWiseConfigurations().setEpochCount(epoch);
        net.clear();
    }
}
