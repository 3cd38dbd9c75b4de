package io.ringloop.bench;

import io.ringloop.bench.measure.LoopRoundtrip;
import io.ringloop.bench.measure.LostWakeException;
import io.ringloop.bench.measure.Throughput;
import io.ringloop.bench.report.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** execute_throughput: 1 and 2 producers into each loop, interleaved round by round. */
final class ThroughputBenchmark {
    static final String NAME = "execute_throughput";

    private ThroughputBenchmark() {
    }

    private static final class Sums {
        long tasks;
        long nanos;
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
                rows.add(Row.throughput(NAME, l.system(), variant, s.tasks * 1e9 / s.nanos, s.tasks, extra));
            } else {
                rows.add(new Row(NAME, l.system(), variant, Row.OPS, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, 0, extra));
            }
        });
        return rows;
    }
}
