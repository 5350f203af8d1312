package dev.forger.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeBackendTest {

    @Test
    void loadsTheOneDnnBuildAndComputes() {
        NativeBackend.init();
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        INDArray product = a.mmul(a);
        assertThat(product.toFloatMatrix()).isEqualTo(new float[][] {{7, 10}, {15, 22}});
        assertThat(System.getProperty(NativeBackend.EXTENSION_PROPERTY)).isEqualTo("-onednn-avx2");
    }
}
