package io.ringloop.bench;

import io.ringloop.bench.measure.LoopRoundtrip;
import io.ringloop.bench.measure.LostWakeException;
import io.ringloop.bench.measure.ProducerCost;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.report.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** producer_cost_busy: timed rounds, interleaved, then one strace-counted phase per loop. */
final class ProducerCostBenchmark {
    static final String NAME = "producer_cost_busy";

    private ProducerCostBenchmark() {
    }

    private static final class Sums {
        final Tally tally = new Tally();
        long executes;
        long rung;
        boolean loopCounts = true;
    }

    static List<Row> run(Roster roster, Plan plan) {
        List<LoopRoundtrip> loops = roster.loops();
        Map<LoopRoundtrip, Sums> sums = new LinkedHashMap<>();
        loops.forEach(l -> sums.put(l, new Sums()));
        Rotation.rounds(loops, plan.rounds(), (round, l) -> {
            Sums s = sums.get(l);
            if (s.tally.failure() != null) {
                return;
            }
            try {
                ProducerCost.Timed timed = ProducerCost.timed(l.loop(), plan.costSlice().toNanos(), s.tally);
                s.executes += timed.executes();
                if (timed.wakeupsRung() < 0) {
                    s.loopCounts = false;
                } else {
                    s.rung += timed.wakeupsRung();
                }
            } catch (LostWakeException e) {
                s.tally.fail(e.getMessage());
                roster.retire(l, e.getMessage());
            }
        });
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<LoopRoundtrip, Sums> e : sums.entrySet()) {
            LoopRoundtrip l = e.getKey();
            Sums s = e.getValue();
            Map<String, Object> extra = new LinkedHashMap<>();
            if (s.loopCounts && s.executes > 0) {
                extra.put("wakeups_rung_per_million", s.rung * 1e6 / s.executes);
            }
            if (s.tally.failure() == null) {
                ProducerCost.Counted counted = ProducerCost.counted(l.loop(), plan.tracedExecutes());
                if (counted.error() != null) {
                    extra.put("syscall_count", "not measured: " + counted.error());
                } else if (counted.executes() > 0) {
                    extra.put("producer_syscalls_per_million", counted.total() * 1e6 / counted.executes());
                    extra.put("traced_executes", counted.executes());
                    extra.put("producer_syscalls", counted.syscalls().isEmpty() ? "none"
                            : counted.syscalls().entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                            .collect(Collectors.joining(", ")));
                }
            }
            rows.add(Row.latency(NAME, l.system(), l.variant(), s.tally, extra));
        }
        return rows;
    }
}
