package io.ringloop.bench.report;

import io.ringloop.bench.loop.Unavailable;

import java.util.List;
import java.util.Map;

/**
 * Everything one run produced, as the report writers need it.
 *
 * @param mode "quick" or "full"
 * @param startedAt ISO-8601 start time
 * @param seconds how long the run took
 * @param machine kernel, CPUs, JDK, Netty, load
 * @param methods how each figure was measured, keyed by topic, written out in both reports
 * @param rows the figures
 * @param unavailable systems that could not take part, with causes
 */
public record Results(String mode, String startedAt, double seconds, Map<String, Object> machine,
                      Map<String, String> methods, List<Row> rows, List<Unavailable> unavailable) {
    /**
     * The rows of one benchmark, in run order.
     *
     * @param benchmark the benchmark
     * @return its rows
     */
    public List<Row> of(String benchmark) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /**
     * The benchmarks present, in run order.
     *
     * @return distinct benchmark names
     */
    public List<String> benchmarks() {
        return rows.stream().map(Row::benchmark).distinct().toList();
    }
}
