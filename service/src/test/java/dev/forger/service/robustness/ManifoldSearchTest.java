package dev.forger.service.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.attacks.Norm;
import dev.forger.service.fixture.ClassifierBundle;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The on/off-manifold searches on the default bundle with a classifier the tests train, on 16 generated digits:
 * the budgets found lie within their bounds and change the verdict, and the chart and the gallery draw them.
 */
class ManifoldSearchTest {
    private static final int N = 16;
    private static LoadedModel model;
    private static ThreatAttacks threats;
    private static AttackService attacks;
    private static float[] z;
    private static float[] images;

    @BeforeAll
    static void load() throws Exception {
        model = TestModels.load(ClassifierBundle.write(Files.createTempDirectory("forger-manifold-").resolve("b"), "c"),
                false);
        attacks = new AttackService(TestModels.config(), new ForgerMetrics(new SimpleMeterRegistry()));
        threats = new ThreatAttacks(attacks);
        z = LatentSampler.sample(model.manifest().latent(), 7, N);
        images = model.generate(z, N).join();
    }

    @AfterAll
    static void close() {
        model.close();
        attacks.shutdown();
    }

    @Test
    void budgetsLieWithinTheirBoundsAndTheChartAndGalleryDrawThem() {
        List<ManifoldSearch> searches = List.of(
                new ManifoldSearch(false, false, Norm.L2, 2.0, 20, 5, 0),
                new ManifoldSearch(true, false, Norm.L2, 2.0, 20, 5, 0),
                new ManifoldSearch(false, true, Norm.L2, 2.0, 20, 5, 0),
                new ManifoldSearch(true, true, Norm.L2, 2.0, 20, 5, 0));
        List<ManifoldReport.Search> summaries = new ArrayList<>();
        List<List<ManifoldRow>> all = new ArrayList<>();
        for (ManifoldSearch search : searches) {
            List<ManifoldRow> rows = search.run(threats, model, attacks.limits(), z, images, N, 0);
            assertThat(rows).hasSize(N);
            for (ManifoldRow r : rows) {
                if (r.budget() != null) {
                    assertThat(r.budget()).as(search.label()).isPositive().isLessThanOrEqualTo(search.bound());
                    assertThat(r.success()).isTrue();
                    if (search.classChange()) {
                        assertThat(r.classAfter()).isNotEqualTo(r.classBefore());
                    } else {
                        assertThat(Math.signum(r.logitAfter())).isNotEqualTo(Math.signum(r.logitBefore()));
                    }
                }
                assertThat(r.point() != null).isEqualTo(r.index() < ManifoldSearch.GALLERY);
            }
            ManifoldReport.Search summary = ManifoldReport.summarise(search, rows, 0);
            System.out.printf("MEASURE %s: success %.2f, median budget %s, median pixel L2 %s%n", search.label(),
                    summary.successRate(), summary.medianBudget(), summary.medianPixelL2());
            summaries.add(summary);
            all.add(rows);
        }
        ManifoldReport report = new ManifoldReport(model.name(), new RobustnessReport.ImageSource("generated", N, 7L),
                "l2", summaries);
        assertThat(summaries.get(0).successRate()).as("pixel D flips within L2 2.0").isGreaterThan(0.5);
        assertThat(summaries.get(1).successRate()).as("latent D flips within δ 2.0").isGreaterThan(0.5);
        BufferedImage chart = ManifoldChart.draw(report);
        assertThat(chart.getWidth()).isGreaterThan(chart.getHeight());
        float[] gallery = java.util.Arrays.copyOf(images, ManifoldSearch.GALLERY * model.imageShape().size());
        BufferedImage picture = ManifoldGallery.draw(model, report, all, gallery);
        assertThat(picture.getHeight()).isGreaterThan(ManifoldSearch.GALLERY * 32);
    }
}
