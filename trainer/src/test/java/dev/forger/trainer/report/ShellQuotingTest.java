package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {

    @Test
    void plainWordsStayAsTheyAre() {
        assertThat(ShellQuoting.join(List.of("dcgan-trainer", "train", "--epochs=30", "--out", "runs/mnist_01", "--lr", "2e-4")))
                .isEqualTo("dcgan-trainer train --epochs=30 --out runs/mnist_01 --lr 2e-4");
    }

    @Test
    void awkwardWordsAreSingleQuoted() {
        assertThat(ShellQuoting.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void bashSplitsTheQuotedLineBackIntoTheSameWords() throws IOException, InterruptedException {
        List<String> words = List.of("--data", "my digits/set 1", "", "it's", "$HOME", "*", "a\"b", "back\\slash",
                "new\nline", "tab\there", "ünïcödé", "!x", "`id`", ";", "~");

        Process bash = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + ShellQuoting.join(words))
                .redirectErrorStream(true).start();
        String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).isZero();
        assertThat(printed.split("\0", -1)).containsExactlyElementsOf(concat(words, ""));
    }

    private static List<String> concat(List<String> words, String last) {
        var all = new java.util.ArrayList<>(words);
        all.add(last);
        return all;
    }
}
