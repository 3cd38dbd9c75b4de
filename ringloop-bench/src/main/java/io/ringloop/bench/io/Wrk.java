package io.ringloop.bench.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (github.com/wg/wrk, 4.x) and reads its text report. */
public final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+[a-z]+)");
    private static final Pattern LATENCY = Pattern.compile(
            "^\\s*Latency\\s+([0-9.]+[a-z]+)\\s+([0-9.]+[a-z]+)\\s+([0-9.]+[a-z]+)", Pattern.MULTILINE);
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(\\d+)%\\s+([0-9.]+[a-z]+)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern TIME = Pattern.compile("([0-9.]+)(us|ms|s|m|h)");

    private Wrk() {
    }

    /**
     * What one wrk run reported.
     *
     * @param requestsPerSecond wrk's "Requests/sec"
     * @param requests completed requests
     * @param seconds the run's length as wrk measured it
     * @param latencyMeanNanos mean latency
     * @param latencyMaxNanos largest latency
     * @param percentilesNanos latency by percentile (wrk prints 50, 75, 90 and 99 with --latency)
     * @param socketErrors connect + read + write + timeout errors (0 when wrk printed none)
     * @param non2xx responses that were not 2xx or 3xx
     */
    public record Result(double requestsPerSecond, long requests, double seconds, double latencyMeanNanos,
                         double latencyMaxNanos, Map<Integer, Double> percentilesNanos, long socketErrors,
                         long non2xx) {
        /**
         * A latency percentile.
         *
         * @param p 50, 75, 90 or 99
         * @return nanoseconds, NaN if wrk did not print it
         */
        public double percentile(int p) {
            return percentilesNanos.getOrDefault(p, Double.NaN);
        }
    }

    /**
     * Reads wrk's report.
     *
     * @param output what wrk printed on stdout
     * @return the figures
     * @throws IllegalArgumentException if the report has no Requests/sec or request count
     */
    public static Result parse(String output) {
        Matcher rps = RPS.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rps.find() || !total.find()) {
            throw new IllegalArgumentException("not a wrk report: " + output.strip());
        }
        double mean = Double.NaN;
        double max = Double.NaN;
        Matcher lat = LATENCY.matcher(output);
        if (lat.find()) {
            mean = nanos(lat.group(1));
            max = nanos(lat.group(3));
        }
        Map<Integer, Double> percentiles = new LinkedHashMap<>();
        Matcher p = PERCENTILE.matcher(output);
        while (p.find()) {
            percentiles.put(Integer.parseInt(p.group(1)), nanos(p.group(2)));
        }
        long socketErrors = 0;
        Matcher se = SOCKET_ERRORS.matcher(output);
        if (se.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(se.group(g));
            }
        }
        Matcher bad = NON_2XX.matcher(output);
        long non2xx = bad.find() ? Long.parseLong(bad.group(1)) : 0;
        return new Result(Double.parseDouble(rps.group(1)), Long.parseLong(total.group(1)),
                nanos(total.group(2)) / 1e9, mean, max, Map.copyOf(percentiles), socketErrors, non2xx);
    }

    /**
     * A time as wrk prints it.
     *
     * @param text e.g. "696.00us", "0.87ms", "1.20s", "2.00m"
     * @return nanoseconds
     * @throws IllegalArgumentException for anything else
     */
    public static double nanos(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a wrk time: " + text);
        }
        double v = Double.parseDouble(m.group(1));
        return v * switch (m.group(2)) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }

    /**
     * Runs wrk against {@code http://127.0.0.1:port/} with {@code --latency}.
     *
     * @param wrk the executable
     * @param port the server's port
     * @param threads wrk's -t
     * @param connections wrk's -c
     * @param duration wrk's -d, whole seconds (at least 1)
     * @return the report
     * @throws IOException if wrk cannot run, fails or prints no report (with its output)
     * @throws InterruptedException if interrupted
     */
    public static Result run(Path wrk, int port, int threads, int connections, Duration duration)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        List<String> cmd = List.of(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "http://127.0.0.1:" + port + "/");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not end: " + out.strip());
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.format(Locale.ROOT, "wrk exited %d: %s", p.exitValue(), out.strip()));
        }
        try {
            return parse(out);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
