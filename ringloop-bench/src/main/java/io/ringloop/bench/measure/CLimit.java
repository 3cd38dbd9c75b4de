package io.ringloop.bench.measure;

import io.ringloop.bench.io.Tools;
import io.ringloop.bench.loop.Unavailable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The physical limit: a C futex ping-pong between two threads, compiled with gcc at run time from the module's
 * resource, run once per slice as a child process that prints its raw samples.
 */
public final class CLimit implements RoundtripSubject {
    private static final String SOURCE = "futex_pingpong.c";

    private final Path binary;
    private final String compiler;

    private CLimit(Path binary, String compiler) {
        this.binary = binary;
        this.compiler = compiler;
    }

    /**
     * Compiles the program into a temporary directory.
     *
     * @return the ready subject
     * @throws UnavailableCLimit with gcc's message when there is no compiler or the build fails
     */
    public static CLimit compile() throws UnavailableCLimit {
        try {
            return new CLimit(Tools.compileC(CLimit.class, SOURCE, "futex_pingpong"), version());
        } catch (IOException e) {
            throw new UnavailableCLimit(e.getMessage().startsWith("gcc failed") ? e.getMessage()
                    : "cannot run gcc: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableCLimit("interrupted while compiling");
        }
    }

    private static String version() throws IOException, InterruptedException {
        Process gcc = new ProcessBuilder("gcc", "-dumpfullversion").redirectErrorStream(true).start();
        String v = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        gcc.waitFor();
        return "gcc " + v;
    }

    /**
     * Which compiler built it.
     *
     * @return e.g. gcc 14.2.0
     */
    public String compiler() {
        return compiler;
    }

    @Override
    public String system() {
        return "c-limit";
    }

    @Override
    public String variant() {
        return "futex";
    }

    @Override
    public void measure(RoundtripMode mode, int maxSamples, long budgetNanos, Tally into) {
        long budgetMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(budgetNanos));
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        if (mode.parked()) {
            command.addAll(List.of("parked", Integer.toString(maxSamples), Long.toString(budgetMillis),
                    Long.toString(TimeUnit.NANOSECONDS.toMicros(LoopRoundtrip.SLEEP_WAIT_NANOS))));
        } else {
            command.addAll(List.of("gap", Long.toString(mode.gapNanos()), Integer.toString(maxSamples),
                    Long.toString(budgetMillis)));
        }
        command.addAll(List.of(Pinning.cArguments()));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            boolean done = false;
            String error = null;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = out.readLine()) != null) {
                    int space = line.indexOf(' ');
                    String key = space < 0 ? line : line.substring(0, space);
                    String value = space < 0 ? "" : line.substring(space + 1);
                    switch (key) {
                        case "s" -> into.record(Long.parseLong(value));
                        case "idle" -> into.recordIdleBefore(Long.parseLong(value));
                        case "skipped" -> into.skip(Long.parseLong(value));
                        case "done" -> done = true;
                        case "error" -> error = value;
                        default -> { }
                    }
                }
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                into.fail("c-limit did not exit");
            } else if (!done) {
                into.fail("c-limit exited " + p.exitValue() + (error == null ? "" : ": " + error));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            into.fail("interrupted");
        }
    }

    /** No compiler, or the program did not build: c-limit is left out and the report says why. */
    public static final class UnavailableCLimit extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableCLimit(String message) {
            super(message);
        }

        /**
         * The report's description.
         *
         * @return system, variant and cause
         */
        public Unavailable unavailable() {
            return new Unavailable("c-limit", "futex", getMessage());
        }
    }
}
