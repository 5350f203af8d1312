package dev.forger.trainer.export;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reading DL4J arrays as the row-major float data ONNX initializers hold. */
final class Dl4jArrays {
    private Dl4jArrays() {}

    /**
     * The values in row-major (C) order. DL4J hands out parameters as views into one flat
     * parameter vector, often in Fortran order (dense weights always): reading the raw buffer of
     * such a view would scramble the matrix, so the view is copied in C order first.
     */
    static float[] rowMajor(INDArray array) {
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The values as doubles, row-major, for references computed in double precision. */
    static double[] rowMajorDoubles(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
