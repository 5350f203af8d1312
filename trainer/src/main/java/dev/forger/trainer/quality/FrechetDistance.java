package dev.forger.trainer.quality;

import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet (2-Wasserstein) distance between two Gaussians fitted to feature clouds:
 * {@code ||μa − μb||² + Tr(Σa + Σb − 2 (Σa Σb)^½)}.
 *
 * <p>Σa Σb is not symmetric, and a general matrix square root of it (as scipy's {@code sqrtm})
 * can return complex round-off for the nearly singular covariances that ReLU features have. The
 * trace term is therefore taken in the equivalent symmetric form
 * {@code Tr((Σa^½ Σb Σa^½)^½)} — the two matrices under the root are similar, so their eigenvalues
 * agree — where both roots are of symmetric positive semi-definite matrices and come from
 * eigen-decompositions (commons-math3), with tiny negative eigenvalues from round-off clamped to 0.
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
        EigenDecomposition eigen = new EigenDecomposition(symmetrized(m));
        RealMatrix v = eigen.getV();
        double[] lambda = eigen.getRealEigenvalues();
        int d = lambda.length;
        double[][] scaled = new double[d][d];
        for (int col = 0; col < d; col++) {
            double root = Math.sqrt(Math.max(lambda[col], 0));
            for (int row = 0; row < d; row++) {
                scaled[row][col] = v.getEntry(row, col) * root;
            }
        }
        return new Array2DRowRealMatrix(scaled, false).multiply(eigen.getVT());
    }

    private static double[] symmetricEigenvalues(RealMatrix m) {
        return new EigenDecomposition(symmetrized(m)).getRealEigenvalues();
    }

    /**
     * (M + Mᵀ)/2: products like A^½·B·A^½ are symmetric only up to round-off, and commons-math
     * takes its (complex-capable) non-symmetric path unless the matrix is symmetric to within
     * a tight tolerance.
     */
    private static RealMatrix symmetrized(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
