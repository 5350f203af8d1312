package dev.forger.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchmarkCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new BenchmarkCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void printsTimeArithmeticAndRateForEveryVariantAndTheirMedians() {
        int code = run("--batch-sizes", "4", "--channels", "1", "--conv-dim", "4", "--warmup", "0", "--iterations", "2",
                "--variants", "trainer,baseline", "--rounds", "2");

        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(1)).contains("s/iteration", "CPU s/iteration", "images/s", "GFLOP/iteration", "GFLOP/s");
        // 4 images × (9 D forwards + 4 G forwards) of the convDim-4 nets, from their shapes
        long d = 2L * (16 * 16 * 16 * 1 * 4 + 8 * 8 * 16 * 4 * 8 + 4 * 4 * 16 * 8 * 16 + 256);
        long g = 2L * (100 * 256 + 4 * 4 * 16 * 16 * 8 + 8 * 8 * 16 * 8 * 4 + 16 * 16 * 16 * 4 * 1);
        String gflop = String.format(java.util.Locale.ROOT, "%.3f", 4 * (9.0 * d + 4.0 * g) / 1e9);
        assertThat(lines.stream().filter(l -> l.startsWith("trainer ") || l.startsWith("baseline ")))
                .hasSize(6)   // two rounds of two variants, then the medians
                .allSatisfy(l -> assertThat(l.split("\\s+")[5]).isEqualTo(gflop));
        assertThat(out.toString()).contains("median of 2 rounds");
    }

    @Test
    void anUnknownVariantIsRefusedNamingTheChoices() {
        int code = run("--variants", "fastest");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--variants", "fastest", "trainer, baseline, helpers-only, workspaces-only");
    }
}
