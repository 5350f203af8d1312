package dev.forger.trainer.report;

import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Progress of one epoch (or any counted task).
 *
 * <p>On a terminal it is a live bar with ETA and the running losses (progressbar redraws one line
 * in place). Anywhere else, a log file or CI, a redrawn line would be thousands of lines of
 * carriage returns, so it prints a plain line instead, at most once per tenth of the task or per
 * {@link #PLAIN_INTERVAL}, whichever comes first, and always at the last step.
 */
public final class TrainingProgress implements AutoCloseable {

    /** The longest a plain log stays silent while steps are being made. */
    public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(30);

    private final Reporter reporter;

    private TrainingProgress(Reporter reporter) {
        this.reporter = reporter;
    }

    /** A live bar when this JVM has a console, plain lines on {@code out} otherwise. */
    public static TrainingProgress start(String task, long totalSteps, PrintStream out) {
        return start(task, totalSteps, out, System.console() != null, System::nanoTime);
    }

    static TrainingProgress start(String task, long totalSteps, PrintStream out, boolean terminal, LongSupplier nanoClock) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(out, "out");
        if (totalSteps < 1) {
            throw new IllegalArgumentException(task + ": total steps must be at least 1, got " + totalSteps);
        }
        return new TrainingProgress(terminal
                ? new LiveBar(task, totalSteps, out)
                : new PlainLines(task, totalSteps, out, nanoClock));
    }

    /** One step done; {@code extra} (running losses, say) is shown beside the progress, may be null. */
    public void step(String extra) {
        reporter.step(extra == null ? "" : extra);
    }

    @Override
    public void close() {
        reporter.close();
    }

    private interface Reporter {
        void step(String extra);

        void close();
    }

    private static final class LiveBar implements Reporter {
        private final ProgressBar bar;

        LiveBar(String task, long totalSteps, PrintStream out) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new InteractiveConsoleProgressBarConsumer(out))
                    .build();
        }

        @Override
        public void step(String extra) {
            bar.setExtraMessage(extra);
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Log lines: {@code task: step i/N (p%), elapsed m:ss, ETA m:ss, extra}. */
    static final class PlainLines implements Reporter {
        private final String task;
        private final long total;
        private final PrintStream out;
        private final LongSupplier nanoClock;
        private final long startNanos;
        private final long stepsPerLine;
        private long steps;
        private long lastPrintedStep;
        private long lastPrintNanos;
        private String lastExtra = "";
        private boolean closed;

        PlainLines(String task, long total, PrintStream out, LongSupplier nanoClock) {
            this.task = task;
            this.total = total;
            this.out = out;
            this.nanoClock = nanoClock;
            this.startNanos = nanoClock.getAsLong();
            this.lastPrintNanos = startNanos;
            this.stepsPerLine = Math.max(1, (total + 9) / 10);
        }

        @Override
        public void step(String extra) {
            steps++;
            lastExtra = extra;
            long now = nanoClock.getAsLong();
            boolean tenthDone = steps - lastPrintedStep >= stepsPerLine;
            boolean quietTooLong = now - lastPrintNanos >= PLAIN_INTERVAL.toNanos();
            if (steps == total || tenthDone || quietTooLong) {
                print(now);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            // a task stopped early (or that ran past its estimate) still ends with where it got to
            if (steps != lastPrintedStep) {
                print(nanoClock.getAsLong());
            }
            out.flush();
        }

        private void print(long now) {
            lastPrintedStep = steps;
            lastPrintNanos = now;
            out.println(line(now));
        }

        String line(long now) {
            Duration elapsed = Duration.ofNanos(now - startNanos);
            StringBuilder line = new StringBuilder(task)
                    .append(": step ").append(steps).append('/').append(total)
                    .append(" (").append(Math.round(100.0 * steps / total)).append("%)")
                    .append(", elapsed ").append(clock(elapsed));
            if (steps < total) {
                Duration eta = steps == 0 ? null : elapsed.multipliedBy(total - steps).dividedBy(steps);
                line.append(", ETA ").append(eta == null ? "?" : clock(eta));
            }
            if (!lastExtra.isEmpty()) {
                line.append(", ").append(lastExtra);
            }
            return line.toString();
        }

        /** {@code h:mm:ss} or {@code m:ss}. */
        static String clock(Duration d) {
            long s = d.toSeconds();
            return s >= 3600
                    ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
