package dev.forger.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.service.imaging.Pixels;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.metrics.ForgerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * README's transfer matrix rests on the second bundle committed in {@code docs/robustness/} and on the reports made
 * with it: the bundle must still load, be the one the reports name (sha256), and compute the logits the report's CSV
 * lists for the default generator's 64 digits of seed 7. A retrained default model or a replaced bundle without
 * running {@code docs/robustness/make.sh} again fails here.
 */
class CommittedTransferReportTest {
    private static final Path DOCS = Path.of("../docs/robustness");
    private static final String TARGET = "mnist-dcgan-seed2";

    private ModelRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theSecondBundleIsTheOneTheReportNamesAndScoresTheDigitsAsItsCsvSays() throws Exception {
        Path models = Files.createTempDirectory("robustness-docs");
        try {
            copy(DOCS.resolve(TARGET), models.resolve(TARGET));
            registry = new ModelRegistry(new TestConfig(models, "mnist-dcgan", "models/mnist-dcgan"),
                    new ForgerMetrics(new SimpleMeterRegistry()));
            registry.loadAll();
            LoadedModel source = registry.get("mnist-dcgan");
            LoadedModel target = registry.get(TARGET);

            JsonNode report = new ObjectMapper().readTree(DOCS.resolve("evaluation-mnist-dcgan.json").toFile());
            assertThat(report.at("/model/sha256").asText()).isEqualTo(source.discriminatorSha256());
            assertThat(report.at("/provenance/transferTo/0/name").asText()).isEqualTo(TARGET);
            assertThat(report.at("/provenance/transferTo/0/sha256").asText()).isEqualTo(target.discriminatorSha256());

            int count = report.at("/report/images/count").asInt();
            long seed = report.at("/report/images/seed").asLong();
            float[] images = source.generate(LatentSampler.sample(source.manifest().latent(), seed, count), count).join();
            Pixels.roundToGreyLevels(images); // the attacks start from the images on the 256 grey levels
            float[] logits = target.score(images, count).join();

            List<String> rows = Files.readAllLines(DOCS.resolve("report-mnist-dcgan.csv"));
            int column = Arrays.asList(rows.get(0).split(",")).indexOf(TARGET + ":originalLogit");
            assertThat(column).isPositive();
            int checked = 0;
            for (String row : rows.subList(1, rows.size())) {
                String[] cells = row.split(",", -1);
                int image = Integer.parseInt(cells[0]);
                assertThat(Float.parseFloat(cells[column])).as("image %d on %s", image, TARGET)
                        .isCloseTo(logits[image], within(1e-5f));
                checked++;
            }
            assertThat(checked).isEqualTo(count * 4 * 5); // 4 attacks × 5 epsilons
        } finally {
            try (var walk = Files.walk(models)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
