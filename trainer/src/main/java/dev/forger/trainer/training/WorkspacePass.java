package dev.forger.trainer.training;

import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode forward and backward passes of one network whose activations live in an ND4J workspace: memory
 * learnt in the first iteration and reused by every later one.
 *
 * <p>Why: {@code MultiLayerNetwork.feedForward} returns <em>detached</em> activations, each a fresh off-heap
 * buffer; on this machine a fresh 2 MB buffer costs ~8 ms of page faults against ~0.1 ms to fill a reused one,
 * which made allocation a large share of an iteration. DL4J's own {@code fit} keeps activations in a workspace,
 * but its loss must come from an output layer; the GAN's loss is computed outside the nets (see {@link GanStep}).
 * This class does what {@code fit} does internally, through the public layer API: the forward pass layer by
 * layer (input pre-processor, then {@code activate(x, true, …)}, exactly as {@code feedForward(true)} does) with
 * activations in this pass's workspace, then {@code backpropGradient}, which DL4J already runs in its own
 * workspaces.
 *
 * <p>Usage: {@code try (MemoryWorkspace scope = pass.open()) { y = pass.forward(x); …; pass.backward(dy); }}.
 * Everything {@link #forward} returns is valid only inside that scope; parameter gradients land in the net's
 * gradient view (outside any workspace) and the input gradient {@link #backward} returns is detached, so both
 * outlive it.
 */
final class WorkspacePass {

    /** Like DL4J's own activations workspace: sized in the first cycle, reallocated if a later one needs more. */
    private static final WorkspaceConfiguration ACTIVATIONS = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    /** Per-layer scratch memory, opened and closed around every layer. */
    private static final WorkspaceConfiguration WORKING_MEMORY = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    /** Where a pass keeps its activations. */
    enum Memory {
        /** in a workspace reused from one iteration to the next (the default) */
        WORKSPACE,
        /** in fresh buffers: DL4J's own {@code feedForward(true)}, what the trainer did before; for comparisons */
        DETACHED
    }

    private final MultiLayerNetwork net;
    private final Memory memory;
    private final String activationsWorkspace;
    private final LayerWorkspaceMgr workspaces;

    /** @param name unique among the passes that may be open at the same time on one thread */
    WorkspacePass(MultiLayerNetwork net, String name, Memory memory) {
        this.net = net;
        this.memory = memory;
        this.activationsWorkspace = "FORGER_" + name + "_ACTIVATIONS";
        this.workspaces = memory == Memory.DETACHED ? LayerWorkspaceMgr.noWorkspaces() : LayerWorkspaceMgr.builder()
                .with(ArrayType.INPUT, activationsWorkspace, ACTIVATIONS)
                .with(ArrayType.ACTIVATIONS, activationsWorkspace, ACTIVATIONS)
                .with(ArrayType.FF_WORKING_MEM, "FORGER_" + name + "_WORKING_MEMORY", WORKING_MEMORY)
                .build();
    }

    /** Opens the scope that holds this net's activations until it is closed. */
    MemoryWorkspace open() {
        return memory == Memory.DETACHED
                ? Nd4j.getMemoryManager().scopeOutOfWorkspaces()
                : Nd4j.getWorkspaceManager().getAndActivateWorkspace(ACTIVATIONS, activationsWorkspace);
    }

    /**
     * Forward pass in training mode (batch statistics; BatchNorm's running averages move, as in
     * {@code feedForward(true)}). Returns the output, which lives in the open scope.
     */
    INDArray forward(INDArray input) {
        requireOpen();
        net.setInput(input);
        if (memory == Memory.DETACHED) {
            List<INDArray> activations = net.feedForward(true, false);
            return activations.get(activations.size() - 1);
        }
        int batch = (int) input.size(0);
        INDArray x = input;
        for (int i = 0; i < net.getnLayers(); i++) {
            try (MemoryWorkspace scratch = workspaces.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                InputPreProcessor preProcessor = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (preProcessor != null) {
                    x = preProcessor.preProcess(x, batch, workspaces);
                }
                x = net.getLayer(i).activate(x, true, workspaces);
            }
        }
        return x;
    }

    /**
     * Back-propagates dLoss/dOutput through the last {@link #forward}: parameter gradients into the net's
     * gradient view, and the input gradient (detached) as the pair's second element.
     */
    Pair<Gradient, INDArray> backward(INDArray outputGradient) {
        requireOpen();
        return net.backpropGradient(outputGradient, workspaces);
    }

    private void requireOpen() {
        if (memory == Memory.WORKSPACE && !Nd4j.getWorkspaceManager().checkIfWorkspaceExistsAndActive(activationsWorkspace)) {
            throw new IllegalStateException("open() the pass's workspace before running it");
        }
    }
}
