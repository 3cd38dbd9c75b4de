package io.ringloop.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines on stdout, each stamped with the seconds since the run started. */
final class Progress {
    private final PrintStream out;
    private final long start = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    void line(String format, Object... args) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds(), String.format(Locale.ROOT, format, args));
        out.flush();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
