package dev.forger.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void identicalFeatureSetsAreAtDistanceZero() {
        double[][] features = gaussianCloud(new Random(1), 500, 20);
        assertThat(FrechetDistance.between(features, features)).isCloseTo(0, within(1e-9));
    }

    @Test
    void oneDimensionalGaussiansFollowTheClosedForm() {
        // N(1, 4) vs N(-2, 9): (1 - -2)^2 + (2 - 3)^2
        GaussianStats a = new GaussianStats(new double[] {1}, new double[][] {{4}});
        GaussianStats b = new GaussianStats(new double[] {-2}, new double[][] {{9}});
        assertThat(FrechetDistance.between(a, b)).isCloseTo(9 + 1, within(1e-12));
    }

    @Test
    void diagonalCovariancesGiveTheSumOfSquaredRootDifferences() {
        double[] varA = {1, 4, 0.25, 9};
        double[] varB = {4, 1, 1, 16};
        GaussianStats a = new GaussianStats(new double[] {0, 1, 2, 3}, diagonal(varA));
        GaussianStats b = new GaussianStats(new double[] {0, 1, 2, 5}, diagonal(varB));
        double expected = 4; // mean shift of 2 in the last coordinate
        for (int i = 0; i < varA.length; i++) {
            expected += Math.pow(Math.sqrt(varA[i]) - Math.sqrt(varB[i]), 2);
        }
        assertThat(FrechetDistance.between(a, b)).isCloseTo(expected, within(1e-10));
    }

    @Test
    void commutingCovariancesInARotatedBasisKeepTheClosedForm() {
        // Σ = R diag(v) Rᵀ for one rotation R: both covariances share eigenvectors
        double angle = 0.7;
        RealMatrix rotation = new Array2DRowRealMatrix(new double[][] {
                {Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}});
        RealMatrix covA = rotation.multiply(MatrixUtils.createRealDiagonalMatrix(new double[] {3, 0.5}))
                .multiply(rotation.transpose());
        RealMatrix covB = rotation.multiply(MatrixUtils.createRealDiagonalMatrix(new double[] {1, 2}))
                .multiply(rotation.transpose());
        double expected = Math.pow(Math.sqrt(3) - 1, 2) + Math.pow(Math.sqrt(0.5) - Math.sqrt(2), 2);

        double distance = FrechetDistance.between(new GaussianStats(new double[2], covA.getData()),
                new GaussianStats(new double[2], covB.getData()));
        assertThat(distance).isCloseTo(expected, within(1e-10));
    }

    @Test
    void twoDimensionalNonCommutingCovariancesMatchTheTwoByTwoRootFormula() {
        // for 2x2 M with non-negative eigenvalues, Tr √M = √(Tr M + 2 √det M); here M = Σa Σb
        double[][] covA = {{2, 0.8}, {0.8, 1}};
        double[][] covB = {{0.5, -0.3}, {-0.3, 3}};
        RealMatrix a = new Array2DRowRealMatrix(covA);
        RealMatrix b = new Array2DRowRealMatrix(covB);
        RealMatrix product = a.multiply(b);
        double detProduct = new LUDecomposition(product).getDeterminant();
        double traceRoot = Math.sqrt(product.getTrace() + 2 * Math.sqrt(detProduct));
        double expected = 1 + 4 + a.getTrace() + b.getTrace() - 2 * traceRoot; // means (1, 2) vs (0, 0)

        double distance = FrechetDistance.between(new GaussianStats(new double[] {1, 2}, covA),
                new GaussianStats(new double[2], covB));
        assertThat(distance).isCloseTo(expected, within(1e-10));
    }

    @Test
    void shiftingEveryFeatureAddsTheSquaredShift() {
        double[][] features = gaussianCloud(new Random(2), 300, 8);
        double[] shift = {1, -1, 0.5, 0, 0, 2, 0, -0.25};
        double[][] shifted = new double[features.length][];
        for (int r = 0; r < features.length; r++) {
            shifted[r] = features[r].clone();
            for (int j = 0; j < shift.length; j++) {
                shifted[r][j] += shift[j];
            }
        }
        double squaredShift = 0;
        for (double s : shift) {
            squaredShift += s * s;
        }
        assertThat(FrechetDistance.between(features, shifted)).isCloseTo(squaredShift, within(1e-9));
    }

    @Test
    void isSymmetricForNonCommutingCovariances() {
        Random random = new Random(4);
        GaussianStats a = randomGaussian(random, 6);
        GaussianStats b = randomGaussian(random, 6);
        assertThat(FrechetDistance.between(a, b)).isCloseTo(FrechetDistance.between(b, a), within(1e-9));
    }

    @Test
    void agreesWithADenmanBeaversRootOfTheNonSymmetricProduct() {
        Random random = new Random(5);
        for (int trial = 0; trial < 3; trial++) {
            GaussianStats a = randomGaussian(random, 7);
            GaussianStats b = randomGaussian(random, 7);
            assertThat(FrechetDistance.between(a, b)).isCloseTo(viaDenmanBeavers(a, b), within(1e-8));
        }
    }

    @Test
    void singularCovariancesAreHandled() {
        GaussianStats onlyX = new GaussianStats(new double[2], new double[][] {{1, 0}, {0, 0}});
        GaussianStats onlyY = new GaussianStats(new double[2], new double[][] {{0, 0}, {0, 1}});
        assertThat(FrechetDistance.between(onlyX, onlyY)).isCloseTo(2, within(1e-12));

        // 5 samples in 12 dimensions, plus two dead (always 0) features as ReLU layers have
        double[][] lowRank = gaussianCloud(new Random(6), 5, 12);
        for (double[] row : lowRank) {
            row[3] = 0;
            row[7] = 0;
        }
        assertThat(FrechetDistance.between(lowRank, lowRank)).isCloseTo(0, within(1e-7));
    }

    @Test
    void collapsedFeatureCloudsOfAnUntrainedGeneratorAreHandled() {
        // what a one-epoch generator's samples look like to the extractor: most features dead, the
        // rest copies of one another up to round-off, in 64 dimensions from 16 samples
        Random random = new Random(8);
        double[][] collapsed = new double[16][64];
        for (double[] row : collapsed) {
            double shared = random.nextGaussian();
            for (int j = 0; j < 64; j++) {
                row[j] = j % 3 == 0 ? 0 : shared * (1 + 1e-12 * j) + (j % 3 == 2 ? 1e-9 * random.nextGaussian() : 0);
            }
        }
        double[][] real = gaussianCloud(new Random(9), 16, 64);
        assertThat(FrechetDistance.between(collapsed, collapsed)).isCloseTo(0, within(1e-6));
        double distance = FrechetDistance.between(collapsed, real);
        assertThat(distance).isFinite().isPositive();
        assertThat(FrechetDistance.between(real, collapsed)).isCloseTo(distance, within(1e-6 * distance));
    }

    @Test
    void nonFiniteFeaturesAreRefusedWithAReason() {
        double[][] features = gaussianCloud(new Random(10), 6, 4);
        features[2][1] = Double.NaN;
        assertThatThrownBy(() -> FrechetDistance.between(features, features))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    }

    @Test
    void refusesDifferentDimensions() {
        GaussianStats a = new GaussianStats(new double[1], new double[][] {{1}});
        GaussianStats b = new GaussianStats(new double[2], diagonal(new double[] {1, 1}));
        assertThatThrownBy(() -> FrechetDistance.between(a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 vs 2");
    }

    /** The textbook formula, with √(Σa Σb) from the Denman–Beavers iteration instead of eigen-decompositions. */
    private static double viaDenmanBeavers(GaussianStats a, GaussianStats b) {
        RealMatrix covA = new Array2DRowRealMatrix(a.covariance());
        RealMatrix covB = new Array2DRowRealMatrix(b.covariance());
        RealMatrix y = covA.multiply(covB);
        RealMatrix z = MatrixUtils.createRealIdentityMatrix(a.dimension());
        for (int i = 0; i < 60; i++) {
            RealMatrix yInverse = new LUDecomposition(y).getSolver().getInverse();
            RealMatrix zInverse = new LUDecomposition(z).getSolver().getInverse();
            y = y.add(zInverse).scalarMultiply(0.5);
            z = z.add(yInverse).scalarMultiply(0.5);
        }
        double meanTerm = 0;
        for (int i = 0; i < a.dimension(); i++) {
            meanTerm += Math.pow(a.mean()[i] - b.mean()[i], 2);
        }
        return meanTerm + covA.getTrace() + covB.getTrace() - 2 * y.getTrace();
    }

    private static GaussianStats randomGaussian(Random random, int d) {
        double[][] factor = new double[d][d];
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                factor[i][j] = random.nextGaussian();
            }
        }
        RealMatrix l = new Array2DRowRealMatrix(factor);
        RealMatrix cov = l.multiply(l.transpose()).add(MatrixUtils.createRealIdentityMatrix(d).scalarMultiply(0.1));
        return new GaussianStats(mean, cov.getData());
    }

    private static double[][] gaussianCloud(Random random, int n, int d) {
        double[][] features = new double[n][d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian() * (1 + j % 3);
            }
        }
        return features;
    }

    private static double[][] diagonal(double[] values) {
        return MatrixUtils.createRealDiagonalMatrix(values).getData();
    }
}
