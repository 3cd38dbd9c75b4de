package io.ringloop.bench.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs fio's io_uring engine on random 4 KiB reads and reads its JSON report. */
public final class Fio {
    private Fio() {
    }

    /**
     * What one fio run reported for its (only) job's reads.
     *
     * @param iops fio's read IOPS
     * @param ios reads completed
     * @param runtimeMillis the job's run time
     * @param clatP50Nanos median completion latency
     * @param clatP99Nanos 99th percentile completion latency
     * @param error the job's error code (0 when it went well)
     */
    public record Result(double iops, long ios, long runtimeMillis, double clatP50Nanos, double clatP99Nanos,
                         int error) {
    }

    /**
     * Reads fio's {@code --output-format=json} report; anything before the first '{' (a warning) is skipped.
     *
     * @param json the report
     * @return the first job's read figures
     * @throws IllegalArgumentException if it is not such a report
     */
    public static Result parse(String json) {
        int brace = json.indexOf('{');
        if (brace < 0) {
            throw new IllegalArgumentException("not a fio JSON report: " + json.strip());
        }
        Map<?, ?> root = (Map<?, ?>) JsonReader.parse(json.substring(brace));
        if (!(root.get("jobs") instanceof List<?> jobs) || jobs.isEmpty()) {
            throw new IllegalArgumentException("fio report without jobs");
        }
        Map<?, ?> job = (Map<?, ?>) jobs.getFirst();
        Map<?, ?> read = (Map<?, ?>) job.get("read");
        if (read == null) {
            throw new IllegalArgumentException("fio job without a read section");
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        if (read.get("clat_ns") instanceof Map<?, ?> clat && clat.get("percentile") instanceof Map<?, ?> pct) {
            p50 = number(pct.get("50.000000"));
            p99 = number(pct.get("99.000000"));
        }
        return new Result(number(read.get("iops")), (long) number(read.get("total_ios")),
                (long) number(read.get("runtime")), p50, p99, (int) number(job.get("error")));
    }

    private static double number(Object o) {
        return o instanceof Double d ? d : Double.NaN;
    }

    /**
     * The command line of one run: random 4 KiB buffered reads through io_uring at a queue depth, time-based, over
     * the whole file, without fio's page-cache invalidation (the file is meant to stay in the page cache) and without
     * its random map (every offset drawn independently, as ringloop's reader does).
     *
     * @param fio the executable
     * @param file the file to read
     * @param size its size in bytes
     * @param depth queue depth
     * @param seconds run time, whole seconds
     * @param output where fio writes its report
     * @return the command
     */
    public static List<String> command(Path fio, Path file, long size, int depth, long seconds, Path output) {
        return List.of(fio.toString(), "--name=randread", "--ioengine=io_uring", "--rw=randread", "--bs=4k",
                "--iodepth=" + depth, "--filename=" + file, "--size=" + size, "--invalidate=0", "--norandommap",
                "--randrepeat=0", "--time_based", "--runtime=" + seconds, "--output-format=json",
                "--output=" + output);
    }

    /**
     * Runs fio once.
     *
     * @param fio the executable
     * @param file the file to read
     * @param size its size in bytes
     * @param depth queue depth
     * @param duration run time, whole seconds (at least 1)
     * @return the figures
     * @throws IOException if fio cannot run, fails or writes no report (with its output)
     * @throws InterruptedException if interrupted
     */
    public static Result run(Path fio, Path file, long size, int depth, Duration duration)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        Path report = Files.createTempFile("ringloop-fio", ".json");
        try {
            Process p = new ProcessBuilder(command(fio, file, size, depth, seconds, report)).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("fio did not end: " + out.strip());
            }
            if (p.exitValue() != 0) {
                throw new IOException("fio exited " + p.exitValue() + ": " + out.strip());
            }
            Result r = parse(Files.readString(report));
            if (r.error() != 0) {
                throw new IOException("fio's job failed with error " + r.error() + ": " + out.strip());
            }
            return r;
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("cannot read fio's report: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(report);
        }
    }
}
