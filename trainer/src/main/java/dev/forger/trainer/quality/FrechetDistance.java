package dev.forger.trainer.quality;

import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet (2-Wasserstein) distance between two Gaussians fitted to feature clouds:
 * {@code ||μa − μb||² + Tr(Σa + Σb − 2 (Σa Σb)^½)}.
 *
 * <p>Σa Σb is not symmetric, and a general matrix square root of it (as scipy's {@code sqrtm})
 * can return complex round-off for the nearly singular covariances that ReLU features have. The
 * trace term is therefore taken in the equivalent symmetric form
 * {@code Tr((Σa^½ Σb Σa^½)^½)} — the two matrices under the root are similar, so their eigenvalues
 * agree — where both roots are of symmetric positive semi-definite matrices and come from
 * symmetric eigen-decompositions, with tiny negative eigenvalues from round-off clamped to 0.
 *
 * <p>The eigen-decompositions are EJML's symmetric QR algorithm: commons-math3's
 * {@code EigenDecomposition} gave up ("convergence failed") on the degenerate covariances of a
 * one-epoch generator's samples in CI, where many features are constant.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** The distance between the Gaussians fitted to two feature sets (rows = samples). */
    public static double between(double[][] featuresA, double[][] featuresB) {
        return between(GaussianStats.of(featuresA), GaussianStats.of(featuresB));
    }

    public static double between(GaussianStats a, GaussianStats b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.dimension() + " vs " + b.dimension());
        }
        double meanTerm = 0;
        for (int i = 0; i < a.dimension(); i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
        }
        RealMatrix covA = new Array2DRowRealMatrix(a.covariance());
        RealMatrix covB = new Array2DRowRealMatrix(b.covariance());
        RealMatrix rootA = psdSquareRoot(covA);
        RealMatrix inner = rootA.multiply(covB).multiply(rootA);
        double traceOfRoot = 0;
        for (double eigenvalue : symmetricEigenvalues(inner)) {
            traceOfRoot += Math.sqrt(Math.max(eigenvalue, 0));
        }
        double distance = meanTerm + covA.getTrace() + covB.getTrace() - 2 * traceOfRoot;
        // the exact value is ≥ 0; identical inputs can land a hair below through round-off
        return Math.max(distance, 0);
    }

    /** The symmetric square root V·diag(√max(λ, 0))·Vᵀ of a symmetric PSD matrix. */
    static RealMatrix psdSquareRoot(RealMatrix m) {
        EigenDecomposition_F64<DMatrixRMaj> eigen = decompose(m, true);
        int d = m.getRowDimension();
        double[][] root = new double[d][d];
        for (int k = 0; k < d; k++) {
            double lambda = Math.sqrt(Math.max(eigen.getEigenvalue(k).getReal(), 0));
            DMatrixRMaj v = eigen.getEigenVector(k);
            for (int row = 0; row < d; row++) {
                double scaled = v.get(row) * lambda;
                for (int col = 0; col < d; col++) {
                    root[row][col] += scaled * v.get(col);
                }
            }
        }
        return new Array2DRowRealMatrix(root, false);
    }

    private static double[] symmetricEigenvalues(RealMatrix m) {
        EigenDecomposition_F64<DMatrixRMaj> eigen = decompose(m, false);
        double[] values = new double[eigen.getNumberOfEigenvalues()];
        for (int k = 0; k < values.length; k++) {
            values[k] = eigen.getEigenvalue(k).getReal();
        }
        return values;
    }

    private static EigenDecomposition_F64<DMatrixRMaj> decompose(RealMatrix m, boolean vectors) {
        RealMatrix symmetric = symmetrized(m);
        int d = symmetric.getRowDimension();
        for (double[] row : symmetric.getData()) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("a covariance holds " + v + ": the features are not finite");
                }
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(d, vectors, true);
        if (!eigen.decompose(new DMatrixRMaj(symmetric.getData()))) {
            throw new IllegalStateException("the symmetric eigen-decomposition of a " + d + "x" + d
                    + " covariance did not converge");
        }
        return eigen;
    }

    /**
     * (M + Mᵀ)/2: products like A^½·B·A^½ are symmetric only up to round-off, and the symmetric
     * solver reads only one triangle.
     */
    private static RealMatrix symmetrized(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
