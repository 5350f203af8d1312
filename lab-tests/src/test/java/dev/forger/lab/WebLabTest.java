package dev.forger.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web lab at / in a real browser (Debian's headless Chromium) against the packaged jar: every panel used
 * as a person would, what it shows compared with what the API answers, and the page's manners (no console
 * errors, visible work during slow requests, keyboard reach, layout at 1280×800 and on a phone-sized window).
 * The screenshots in docs/ui are the ones these tests save under target/lab/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebLabTest {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration LONG = Duration.ofMinutes(4);
    /** Half a grey level: what rounding the adversarial image to 8 bits may add to its L∞. */
    private static final double HALF_GREY = 0.5 / 255;
    private static final Pattern LINF = Pattern.compile("L∞ ([0-9.]+)");

    private final Path work = Path.of(System.getProperty("forger.lab.work", "target/lab"));
    private final Path shots = work.resolve("screenshots");
    private LabService service;
    private Browser browser;
    private Api api;

    @BeforeAll
    void start() throws IOException {
        service = LabService.start(Path.of(System.getProperty("forger.lab.serviceJar",
                "../service/target/quarkus-app/quarkus-run.jar")), work.resolve("service.log"));
        browser = Browser.start(work);
        api = new Api(service::uri);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void freshPage() {
        browser.resize(1280, 800);
        browser.consoleErrors(); // forget what earlier tests logged
        browser.open(service.uri("/"));
    }

    @Test
    void theLabLoadsItsModelAndAttackCatalogWithoutConsoleErrors() throws IOException {
        JsonNode models = api.get("/api/v1/models");
        String model = models.get("defaultModel").asText();
        assertThat(new Select(browser.testId("model-select")).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo(model);
        browser.await(SHORT, d -> ((Number) browser.script("return arguments[0].width",
                browser.testId("model-samples"))).intValue() > 32);
        String manifest = browser.testId("model-manifest").getText();
        assertThat(manifest).contains("version " + models.get("models").get(0).get("version").asText())
                .contains("frechetDistance").contains("discriminator-grad.onnx");

        // the attack form is the catalog's: every method, and the defaults the service fills in
        JsonNode catalog = api.get("/api/v1/attacks");
        List<String> methods = new ArrayList<>();
        catalog.get("methods").forEach(m -> methods.add(m.get("method").asText()));
        assertThat(new Select(browser.testId("attack-method")).getOptions()).extracting(o -> o.getDomAttribute("value"))
                .containsExactlyElementsOf(methods);
        JsonNode pgdEpsilon = parameter(catalog, "pgd", "linf", "epsilon");
        WebElement epsilon = browser.testId("attack-epsilon");
        assertThat(Double.parseDouble(epsilon.getDomProperty("value"))).isEqualTo(pgdEpsilon.get("default").asDouble());
        assertThat(epsilon.getDomAttribute("max")).isEqualTo(number(pgdEpsilon.get("maximum")));
        assertThat(browser.testId("attack-param-steps").getDomProperty("value"))
                .isEqualTo(parameter(catalog, "pgd", "linf", "steps").get("default").asText());

        // live numbers: two scrapes of /q/metrics make a rate
        browser.await(SHORT, d -> browser.testId("live-rate").getText().matches("[0-9.]+"));
        assertThat(browser.consoleErrors()).as("console errors while loading").isEmpty();
        browser.screenshot(browser.driver.findElement(By.id("models")), shots.resolve("model.png"));
    }

    @Test
    void generateShowsExactlyTheImagesTheApiGivesForTheSeed() throws IOException {
        generate(8, 5);
        List<WebElement> samples = browser.all("[data-testid='generated-grid'] button canvas");
        JsonNode expected = api.postJson("/api/v1/generate", "{\"count\": 8, \"seed\": 5, \"format\": \"json\"}");
        assertThat(samples).hasSize(8);
        for (int i = 0; i < 8; i++) {
            // the page shows each pixel at its stored value, whatever colour profile the PNG carries
            assertThat(greys(samples.get(i))).as("sample " + i).isEqualTo(greys(Base64.getDecoder().decode(
                    expected.get("images").get(i).get("png").asText())));
        }
        String npy = browser.testId("download-npy").getDomProperty("href");
        assertThat(npy).contains("seed=5").contains("format=npy");
        assertThat(api.bytes(npy.substring(npy.indexOf("/api/")))).hasSize(128 + 8 * 32 * 32 * 4);

        browser.all("[data-testid='generated-grid'] button").get(2).click();
        assertThat(browser.testId("selection-count").getText()).isEqualTo("1");
        browser.screenshot(browser.driver.findElement(By.id("generate")), shots.resolve("generate.png"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void scoringUploadedPngsShowsTheNumbersOfTheScoreEndpoint() throws IOException {
        byte[] three = api.bytes("/api/v1/generate?seed=3");
        byte[] four = api.bytes("/api/v1/generate?seed=4");
        Path a = write("digit-3.png", three);
        Path b = write("digit-4.png", four);
        browser.testId("score-input").sendKeys(a + "\n" + b);
        browser.await(SHORT, d -> browser.all("[data-testid='score-result'] tbody tr").size() == 2);

        Api.Answer expected = api.postParts("/api/v1/score", List.of(new Api.Part("digit-3.png", "image/png", three),
                new Api.Part("digit-4.png", "image/png", four)));
        assertThat(expected.status()).isEqualTo(200);
        List<WebElement> logits = browser.all("[data-testid='score-logit']");
        List<WebElement> probabilities = browser.all("[data-testid='score-probability']");
        for (int i = 0; i < 2; i++) {
            JsonNode result = expected.json().get("results").get(i);
            assertThat(Double.parseDouble(logits.get(i).getText())).as("logit " + i)
                    .isCloseTo(result.get("logit").asDouble(), org.assertj.core.api.Assertions.within(5e-5));
            assertThat(Double.parseDouble(probabilities.get(i).getText().split(" ")[0])).as("P(real) " + i)
                    .isCloseTo(result.get("realProbability").asDouble(), org.assertj.core.api.Assertions.within(5e-5));
        }
        assertThat(browser.all("[data-testid='score-result'] tbody tr").get(0).getText()).contains("digit-3.png");
        browser.screenshot(browser.driver.findElement(By.id("score")), shots.resolve("score.png"));

        // a file dropped on the panel is scored like a chosen one
        byte[] five = api.bytes("/api/v1/generate?seed=5");
        browser.script("""
                const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                const files = new DataTransfer();
                files.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
                const zone = document.querySelector('[data-testid=score-drop]');
                for (const type of ['dragover', 'drop']) {
                  zone.dispatchEvent(new DragEvent(type, { dataTransfer: files, bubbles: true, cancelable: true }));
                }""", Base64.getEncoder().encodeToString(five));
        browser.await(SHORT, d -> browser.all("[data-testid='score-result'] tbody tr").size() == 1
                && browser.testId("score-result").getText().contains("dropped.png"));
        Api.Answer dropped = api.postParts("/api/v1/score", List.of(new Api.Part("dropped.png", "image/png", five)));
        assertThat(Double.parseDouble(browser.testId("score-logit").getText())).isCloseTo(
                dropped.json().get("results").get(0).get("logit").asDouble(), org.assertj.core.api.Assertions.within(5e-5));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aBadUploadShowsTheServicesProblemInWords() throws IOException {
        byte[] notAnImage = "this is a text file, not a PNG".getBytes(StandardCharsets.UTF_8);
        browser.testId("score-input").sendKeys(write("not-a-digit.png", notAnImage).toString());
        WebElement error = browser.in("score", "error");
        browser.await(SHORT, d -> error.isDisplayed());
        Api.Answer problem = api.postParts("/api/v1/score", List.of(new Api.Part("not-a-digit.png", "image/png",
                notAnImage)));
        assertThat(problem.status()).isEqualTo(415);
        assertThat(error.getText()).contains(problem.json().get("title").asText())
                .contains(problem.json().get("detail").asText()).contains("(415)");

        // a 28x28 digit is refused until the panel's size choice says how to frame it
        byte[] small = png28();
        Path digit28 = write("digit-28x28.png", small);
        browser.testId("score-input").sendKeys(digit28.toString());
        browser.await(SHORT, d -> error.isDisplayed() && error.getText().contains("28"));
        assertThat(error.getText()).contains("(422)").contains("resize");
        browser.screenshot(browser.driver.findElement(By.id("score")), shots.resolve("score-error.png"));
        new Select(browser.testId("score-resize")).selectByValue("pad");
        browser.testId("score-input").sendKeys(digit28.toString());
        browser.await(SHORT, d -> browser.all("[data-testid='score-result'] tbody tr").size() == 1);
        assertThat(error.isDisplayed()).isFalse();
        // the refusals reach the console only as the failed requests themselves, never as a script error
        assertThat(browser.consoleErrors()).isNotEmpty().allSatisfy(e -> assertThat(e).contains("Failed to load resource"));
        Api.Answer padded = api.postParts("/api/v1/score?resize=pad", List.of(new Api.Part("d.png", "image/png", small)));
        assertThat(Double.parseDouble(browser.testId("score-logit").getText()))
                .isCloseTo(padded.json().get("results").get(0).get("logit").asDouble(), org.assertj.core.api.Assertions.within(5e-5));
    }

    @Test
    void aPgdAttackShowsOriginalPerturbationAndAdversarialWithTheApisVerdicts() throws IOException {
        generate(4, 2);
        List<WebElement> samples = browser.all("[data-testid='generated-grid'] button");
        samples.get(0).click();
        samples.get(1).click();
        assertThat(browser.testId("selection-count").getText()).isEqualTo("2");
        new Select(browser.testId("attack-method")).selectByValue("pgd");
        double epsilon = Double.parseDouble(browser.testId("attack-epsilon").getDomProperty("value"));
        browser.testId("attack-run").click();
        browser.await(LONG, d -> browser.all("[data-testid='attack-figure']").size() == 2);

        List<WebElement> figures = browser.all("[data-testid='attack-figure']");
        for (WebElement figure : figures) {
            List<WebElement> pictures = figure.findElements(By.tagName("canvas")); // original, perturbation, adversarial
            assertThat(pictures).hasSize(3).allSatisfy(c -> assertThat(c.getDomProperty("width")).isEqualTo("32"));
            assertThat(figure.getText()).contains("perturbation ×").contains("before:").contains("after:")
                    .contains("calls:");
            Matcher linf = LINF.matcher(figure.getText());
            assertThat(linf.find()).isTrue();
            double reported = Double.parseDouble(linf.group(1));
            assertThat(reported).isLessThanOrEqualTo(epsilon + HALF_GREY + 5e-5);
            // what is drawn differs by exactly the reported L∞ (8/255 must not look like more)
            int[] before = greys(pictures.get(0));
            int[] after = greys(pictures.get(2));
            int largest = 0;
            for (int p = 0; p < before.length; p++) {
                largest = Math.max(largest, Math.abs(after[p] - before[p]));
            }
            assertThat(largest / 255.0).isCloseTo(reported, org.assertj.core.api.Assertions.within(1e-4));
        }

        // the same request through the API (same images, same seed) gives the verdicts the page shows
        JsonNode generated = api.postJson("/api/v1/generate", "{\"count\": 4, \"seed\": 2, \"format\": \"json\"}");
        List<Api.Part> parts = List.of(
                new Api.Part("a.png", "image/png", Base64.getDecoder().decode(generated.get("images").get(0).get("png").asText())),
                new Api.Part("b.png", "image/png", Base64.getDecoder().decode(generated.get("images").get(1).get("png").asText())));
        Api.Answer attacked = api.postParts("/api/v1/attack?method=pgd&epsilon=" + epsilon + "&steps=20&seed=0", parts);
        assertThat(attacked.status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            JsonNode result = attacked.json().get("results").get(i);
            assertThat(figures.get(i).getText()).as("figure " + i)
                    .contains(String.format(java.util.Locale.ROOT, "after: P(real) %.4f",
                            result.get("adversarial").get("realProbability").asDouble()).substring(0, 20))
                    .contains(result.get("success").asBoolean() ? "✓ reached the goal" : "✗ did not reach the goal");
        }
        browser.screenshot(browser.driver.findElement(By.id("attack")), shots.resolve("attack.png"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aSlowRequestShowsWhatItIsDoingUntilItEnds() {
        generate(1, 9);
        browser.all("[data-testid='generated-grid'] button").get(0).click();
        new Select(browser.testId("attack-method")).selectByValue("pgd");
        // 1,000 steps, each one run of the gradient graph after the batcher's wait for company: seconds, not ms
        WebElement steps = browser.testId("attack-param-steps");
        steps.clear();
        steps.sendKeys("1000");
        browser.testId("attack-run").click();
        WebElement status = browser.in("attack", "status");
        browser.await(SHORT, d -> status.getDomAttribute("class").contains("busy"));
        assertThat(status.getText()).startsWith("Attacking 1 image with pgd…");
        assertThat(browser.driver.findElement(By.id("attack")).getDomAttribute("aria-busy")).isEqualTo("true");
        assertThat(browser.testId("activity").getText()).contains("Attacking 1 image with pgd");
        assertThat(browser.testId("attack-run").isEnabled()).isFalse();
        browser.await(LONG, d -> status.getText().contains("done in"));
        assertThat(status.getDomAttribute("class")).doesNotContain("busy");
        assertThat(browser.testId("activity").getText()).isEmpty();
        assertThat(browser.testId("attack-run").isEnabled()).isTrue();
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void anEvaluationShowsItsProgressAndChartAndAnotherCanBeCancelled() throws IOException {
        // 15 attack runs over 128 images, 60 units of 32 images: seconds even on an idle machine, so the 0.7 s
        // polls see it move
        setValue(browser.testId("evaluate-count"), "128");
        setValue(browser.testId("evaluate-seed"), "7");
        setValue(browser.testId("evaluate-epsilons"), "1/255, 2/255, 4/255, 8/255, 16/255");
        for (String method : List.of("fgsm", "bim", "pgd")) {
            browser.testId("evaluate-attack-" + method).click();
        }
        browser.testId("evaluate-start").click();
        WebElement progress = browser.testId("evaluate-progress");
        WebElement state = browser.testId("evaluate-state");
        Set<String> seen = new LinkedHashSet<>();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!state.getText().contains("succeeded")) {
            assertThat(System.nanoTime()).as("the evaluation did not finish in " + LONG).isLessThan(deadline);
            assertThat(state.getText()).doesNotContain("failed");
            seen.add(progress.getDomProperty("value"));
            sleep(100);
        }
        seen.add(progress.getDomProperty("value"));
        assertThat(progress.getDomProperty("max")).isEqualTo("60");
        assertThat(seen).as("progress values seen").contains("60")
                .anySatisfy(v -> assertThat(Double.parseDouble(v)).isStrictlyBetween(0.0, 60.0));
        WebElement chart = browser.testId("evaluate-chart");
        browser.await(SHORT, d -> chart.isDisplayed() && (Boolean) browser.script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", chart));
        assertThat(browser.testId("evaluate-report").getText()).contains("pgd linf").contains("bim linf");
        String first = browser.testId("evaluate-view").getDomAttribute("data-job-id");
        assertThat(api.get("/api/v1/evaluate/" + first).get("state").asText()).isEqualTo("succeeded");
        browser.screenshot(browser.driver.findElement(By.id("evaluate")), shots.resolve("evaluate.png"));

        // another, long one (square's 2,000 queries per image and ε), cancelled while it runs
        browser.open(service.uri("/"));
        browser.await(SHORT, d -> !browser.all("[data-testid='evaluate-jobs'] button[data-id='" + first + "']").isEmpty());
        setValue(browser.testId("evaluate-count"), "64");
        setValue(browser.testId("evaluate-epsilons"), "2/255, 4/255, 8/255");
        browser.testId("evaluate-attack-square").click();
        browser.testId("evaluate-start").click();
        WebElement cancel = browser.testId("evaluate-cancel");
        browser.await(SHORT, d -> browser.testId("evaluate-state").getText().matches(".*(queued|running).*")
                && cancel.isEnabled());
        String second = browser.testId("evaluate-view").getDomAttribute("data-job-id");
        cancel.click();
        browser.await(SHORT, d -> browser.testId("evaluate-state").getText().contains("cancelled"));
        assertThat(cancel.isEnabled()).isFalse();
        assertThat(api.get("/api/v1/evaluate/" + second).get("state").asText()).isEqualTo("cancelled");

        // the earlier one opens again from the list, finished, with its chart
        browser.await(SHORT, d -> {
            d.findElement(By.cssSelector("[data-testid='evaluate-jobs'] button[data-id='" + first + "']")).click();
            return true;
        });
        browser.await(SHORT, d -> first.equals(browser.testId("evaluate-view").getDomAttribute("data-job-id"))
                && browser.testId("evaluate-state").getText().contains("succeeded")
                && browser.testId("evaluate-chart").isDisplayed());
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theKeyboardReachesEveryControlAndOperatesThem() {
        generate(4, 1); // so that the samples, the downloads and their controls exist
        @SuppressWarnings("unchecked")
        List<String> controls = (List<String>) browser.script("""
                const all = [...document.querySelectorAll('a[href], button, input, select, summary')]
                    .filter(e => !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
                all.forEach((e, i) => { e.dataset.kb = String(i); });
                return all.map(e => e.dataset.testid || e.textContent.trim().slice(0, 30) || e.tagName);""");
        browser.script("document.activeElement?.blur(); window.scrollTo(0, 0)");
        Set<Integer> reached = new LinkedHashSet<>();
        for (int i = 0; i < controls.size() * 2 + 10 && reached.size() < controls.size(); i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            Object kb = browser.script("return document.activeElement.dataset.kb");
            if (kb != null) {
                reached.add(Integer.parseInt((String) kb));
            }
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < controls.size(); i++) {
            if (!reached.contains(i)) {
                missed.add(controls.get(i));
            }
        }
        assertThat(missed).as("controls Tab never reached, of " + controls.size()).isEmpty();

        // and they work from the keyboard: Enter submits a form, Space presses a sample, focus is visible
        WebElement seed = browser.testId("generate-seed");
        seed.clear();
        seed.sendKeys("12", Keys.ENTER);
        browser.await(SHORT, d -> browser.testId("generate-info").getText().contains("seed 12"));
        WebElement sample = browser.all("[data-testid='generated-grid'] button").get(0);
        browser.script("arguments[0].focus()", sample);
        new Actions(browser.driver).sendKeys(Keys.SPACE).perform();
        browser.await(SHORT, d -> "true".equals(sample.getDomAttribute("aria-pressed")));
        new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        assertThat((String) browser.script("return getComputedStyle(document.activeElement).outlineStyle"))
                .isNotEqualTo("none");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theLayoutFitsAt1280x800AndOnANarrowWindow() throws IOException {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            browser.resize(size[0], size[1]);
            browser.open(service.uri("/"));
            generate(16, 4);
            browser.all("[data-testid='generated-grid'] button").get(0).click();
            browser.all("[data-testid='generated-grid'] button").get(5).click();
            new Select(browser.testId("attack-method")).selectByValue("fgsm");
            browser.testId("attack-run").click();
            browser.await(LONG, d -> browser.all("[data-testid='attack-figure']").size() == 2);
            @SuppressWarnings("unchecked")
            List<String> overflowing = (List<String>) browser.script("""
                    const width = document.documentElement.clientWidth;
                    return [...document.querySelectorAll('body *')]
                        .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > width + 0.5
                                     && !e.closest('.skip'))
                        .map(e => `${e.tagName}.${e.className} ${e.dataset.testid || ''} right ${e.getBoundingClientRect().right}`);""");
            assertThat(overflowing).as("elements past the right edge at " + size[0] + "px").isEmpty();
            assertThat((Boolean) browser.script(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                    .as("horizontal scrolling at " + size[0] + "px").isTrue();
            assertThat((String) browser.script("return getComputedStyle(document.body).fontSize")).isIn("15px", "16px");
            double generateTop = top("generate");
            double scoreTop = top("score");
            if (size[0] >= 1280) {
                assertThat(scoreTop).as("Generate and Score side by side").isEqualTo(generateTop);
                // the README's opening picture: the selection scored and attacked, seen from the Generate panel down
                browser.testId("score-selected").click();
                browser.await(SHORT, d -> browser.all("[data-testid='score-result'] tbody tr").size() == 2);
                browser.script("window.scrollTo(0, arguments[0] - document.querySelector('.tray').offsetHeight - 12)",
                        generateTop);
                browser.screenshot(shots.resolve("lab.png"));
            } else {
                assertThat(scoreTop).as("Score below Generate").isGreaterThan(generateTop);
                browser.script("document.getElementById('attack').scrollIntoView()");
                browser.screenshot(shots.resolve("lab-narrow.png"));
            }
            assertThat(browser.consoleErrors()).as("console errors at " + size[0] + "px").isEmpty();
        }
    }

    /** The grey values a canvas shows (its red channel), row by row. */
    private int[] greys(WebElement canvas) {
        @SuppressWarnings("unchecked")
        List<Number> values = (List<Number>) browser.script("""
                const c = arguments[0];
                const rgba = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                return Array.from(rgba.filter((_, i) => i % 4 === 0));""", canvas);
        return values.stream().mapToInt(Number::intValue).toArray();
    }

    /** The stored grey values of a PNG, row by row. */
    private static int[] greys(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png));
        int[] values = new int[image.getWidth() * image.getHeight()];
        image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, values);
        return values;
    }

    private double top(String panel) {
        return ((Number) browser.script("return arguments[0].getBoundingClientRect().top + window.scrollY",
                browser.driver.findElement(By.id(panel)))).doubleValue();
    }

    /** Generates {@code count} samples from {@code seed} through the Generate panel and waits for them. */
    private void generate(int count, long seed) {
        setValue(browser.testId("generate-count"), Integer.toString(count));
        setValue(browser.testId("generate-seed"), Long.toString(seed));
        browser.testId("generate-button").click();
        browser.await(SHORT, d -> browser.testId("generate-info").getText().contains("from seed " + seed)
                && browser.all("[data-testid='generated-grid'] button canvas[data-drawn]").size() == count);
    }

    private static void setValue(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Files.createDirectories(work);
        return Files.write(work.resolve(name), bytes);
    }

    /** A 28x28 grey PNG with a stroke like a 1: MNIST's size, which the 32x32 model takes only with resize. */
    private static byte[] png28() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(3));
        g.drawLine(14, 4, 13, 24);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static JsonNode parameter(JsonNode catalog, String method, String norm, String name) {
        for (JsonNode m : catalog.get("methods")) {
            if (m.get("method").asText().equals(method)) {
                for (JsonNode p : m.get("parameters").get(norm)) {
                    if (p.get("name").asText().equals(name)) {
                        return p;
                    }
                }
            }
        }
        throw new AssertionError(method + " " + norm + " has no " + name);
    }

    /** A JSON number as HTML attributes spell it ("1.0" → "1"), matching the page's String(number). */
    private static String number(JsonNode value) {
        double v = value.asDouble();
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
