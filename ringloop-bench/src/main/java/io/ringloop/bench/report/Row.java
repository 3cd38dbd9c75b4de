package io.ringloop.bench.report;

import io.ringloop.bench.measure.Tally;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the results: a benchmark's figures for one system and variant.
 *
 * <p>Figures that could not be measured are {@link Double#NaN} (null in JSON), with the reason in {@code extra.note}.
 *
 * @param benchmark e.g. roundtrip_parked
 * @param system ringloop, netty-io_uring, netty-epoll, netty-nio, jdk-nio or c-limit
 * @param variant the doorbell or handler, for throughput prefixed by the producer count
 * @param unit "ns" or "ops/s"
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest sample
 * @param mean mean
 * @param count samples, or operations for throughput
 * @param extra anything the figures need to be read right: skips, methods, syscall counts, failures
 */
public record Row(String benchmark, String system, String variant, String unit, double p50, double p90, double p99,
                  double p999, double max, double mean, long count, Map<String, Object> extra) {
    /** The unit of latencies and per-call costs. */
    public static final String NS = "ns";
    /** The unit of throughput. */
    public static final String OPS = "ops/s";

    /**
     * A latency row from a tally's histogram. Skips, failures and (for parked samples) the idle time before the
     * signal go into {@code extra}.
     *
     * @param benchmark the benchmark
     * @param system the system
     * @param variant the variant
     * @param tally the samples
     * @param extra more fields, copied
     * @return the row
     */
    public static Row latency(String benchmark, String system, String variant, Tally tally, Map<String, Object> extra) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        if (tally.skipped() > 0) {
            more.put("skipped", tally.skipped());
        }
        if (tally.failure() != null) {
            more.put("failure", tally.failure());
        }
        Histogram idle = tally.idleBefore();
        if (idle.getTotalCount() > 0) {
            more.put("idle_before_signal_p50_ns", idle.getValueAtPercentile(50));
        }
        Histogram h = tally.samples();
        if (h.getTotalCount() == 0) {
            more.putIfAbsent("note", "no samples");
            return new Row(benchmark, system, variant, NS, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, 0, more);
        }
        return new Row(benchmark, system, variant, NS, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean(),
                h.getTotalCount(), more);
    }

    /**
     * A throughput row: the rate goes into both mean and p50, the other percentiles are not applicable.
     *
     * @param benchmark the benchmark
     * @param system the system
     * @param variant the variant
     * @param opsPerSecond the rate
     * @param operations how many operations it is based on
     * @param extra more fields
     * @return the row
     */
    public static Row throughput(String benchmark, String system, String variant, double opsPerSecond,
                                 long operations, Map<String, Object> extra) {
        return new Row(benchmark, system, variant, OPS, opsPerSecond, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                opsPerSecond, operations, new LinkedHashMap<>(extra));
    }

    /**
     * A row for a figure that cannot be measured for this system, with the reason.
     *
     * @param benchmark the benchmark
     * @param system the system
     * @param variant the variant
     * @param unit the unit it would have had
     * @param why shown in the report
     * @return the row
     */
    public static Row unmeasurable(String benchmark, String system, String variant, String unit, String why) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("note", "not measurable: " + why);
        return new Row(benchmark, system, variant, unit, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 0, extra);
    }

    /**
     * Whether the row has figures.
     *
     * @return false for unmeasurable and failed rows
     */
    public boolean measured() {
        return !Double.isNaN(p50);
    }

    /**
     * "system/variant", the label in tables and plots.
     *
     * @return the label
     */
    public String label() {
        return system + "/" + variant;
    }

    /**
     * Whether this row is one of ringloop's.
     *
     * @return true for ringloop, on either backend ({@code ringloop-epoll} is the epoll backend's)
     */
    public boolean isRingloop() {
        return system.startsWith("ringloop");
    }

    /**
     * Whether this row is a peer ringloop is compared with. The C limit is not a peer: it is the floor.
     *
     * @return true for Netty and the JDK loop
     */
    public boolean isPeer() {
        return !isRingloop() && !system.equals("c-limit");
    }
}
