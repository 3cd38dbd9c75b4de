package io.ringloop.bench;

import io.ringloop.bench.loop.EmptyIteration;
import io.ringloop.bench.measure.LoopRoundtrip;
import io.ringloop.bench.report.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** empty_iteration: asks each loop for its own figure; loops that cannot tell get a row saying why. */
final class EmptyIterationBenchmark {
    static final String NAME = "empty_iteration";

    private EmptyIterationBenchmark() {
    }

    static List<Row> run(Roster roster, Plan plan) {
        List<Row> rows = new ArrayList<>();
        for (LoopRoundtrip l : roster.loops()) {
            EmptyIteration e;
            try {
                e = l.loop().emptyIteration(plan.emptyIterationWindow().toNanos());
            } catch (RuntimeException ex) {
                e = EmptyIteration.unmeasurable("failed: " + ex);
            }
            if (e.measured()) {
                rows.add(new Row(NAME, l.system(), l.variant(), Row.NS, e.nanosPerIteration(), Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, e.nanosPerIteration(), e.iterations(),
                        Map.of("note", e.note())));
            } else {
                rows.add(Row.unmeasurable(NAME, l.system(), l.variant(), Row.NS, e.note()));
            }
        }
        return rows;
    }
}
