package io.ringloop.bench;

import io.ringloop.bench.measure.LoopRoundtrip;
import io.ringloop.bench.measure.LostWakeException;
import io.ringloop.bench.measure.Throughput;
import io.ringloop.bench.report.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * execute_throughput: 1, 2 and 4 producers into each loop, interleaved round by round. The row's value is the rate
 * over every round together; each round's rate is kept too, with their median and spread, because one round on a
 * shared machine can swing several-fold.
 */
final class ThroughputBenchmark {
    static final String NAME = "execute_throughput";

    private ThroughputBenchmark() {
    }

    private static final class Sums {
        long tasks;
        long nanos;
        long wakeSyscalls;
        boolean wakesCounted = true;
        final List<Double> rates = new ArrayList<>();
        String failure;
    }

    static List<Row> run(Roster roster, Plan plan, int producers) {
        List<LoopRoundtrip> loops = roster.loops();
        Map<LoopRoundtrip, Sums> sums = new LinkedHashMap<>();
        loops.forEach(l -> sums.put(l, new Sums()));
        Rotation.rounds(loops, plan.rounds(), (round, l) -> {
            Sums s = sums.get(l);
            if (s.failure != null) {
                return;
            }
            try {
                Throughput.Rate rate = Throughput.run(l.loop(), producers, plan.throughputSlice().toNanos());
                s.tasks += rate.tasks();
                s.nanos += rate.nanos();
                s.rates.add(rate.perSecond());
                s.wakesCounted &= rate.wakeSyscalls() >= 0;
                s.wakeSyscalls += Math.max(0, rate.wakeSyscalls());
            } catch (LostWakeException e) {
                s.failure = e.getMessage();
                roster.retire(l, e.getMessage());
            }
        });
        List<Row> rows = new ArrayList<>();
        sums.forEach((l, s) -> {
            String variant = producers + "p-" + l.variant();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("producers", producers);
            if (s.failure != null) {
                extra.put("failure", s.failure);
            }
            if (s.nanos > 0) {
                extra.put("window_ms", s.nanos / 1_000_000);
                roundSpread(extra, s.rates);
                if (s.wakesCounted && s.tasks > 0) {
                    extra.put("wakeups_rung_per_million", s.wakeSyscalls * 1e6 / s.tasks);
                }
                rows.add(Row.throughput(NAME, l.system(), variant, s.tasks * 1e9 / s.nanos, s.tasks, extra));
            } else {
                rows.add(new Row(NAME, l.system(), variant, Row.OPS, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, 0, extra));
            }
        });
        return rows;
    }

    /** Each round's rate, their median and their spread (max / min), so that a reader can see the noise. */
    private static void roundSpread(Map<String, Object> extra, List<Double> rates) {
        List<Double> sorted = rates.stream().sorted().toList();
        extra.put("round_rates", rates.stream().map(r -> Math.round(r / 1e3) / 1e3).toList());
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        extra.put("round_median", median);
        if (sorted.getFirst() > 0) {
            extra.put("round_spread", sorted.getLast() / sorted.getFirst());
        }
    }
}
