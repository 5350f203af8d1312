package dev.forger.trainer.report;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quotes arguments for a POSIX shell, so that a recorded command line can be pasted back into a
 * terminal and run the same. Hand-written because it is one rule: words of plainly safe characters
 * stay as they are, anything else goes in single quotes, inside which a shell interprets nothing
 * (a single quote itself is closed, escaped and reopened: {@code '\''}).
 */
public final class ShellQuoting {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting() {
    }

    public static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by spaces. */
    public static String join(List<String> words) {
        return words.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
