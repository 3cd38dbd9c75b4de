package io.ringloop.bench;

import io.ringloop.bench.measure.LostWakeException;
import io.ringloop.bench.measure.RoundtripMode;
import io.ringloop.bench.measure.RoundtripSubject;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.report.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** roundtrip_parked and roundtrip_gap_*: every system, interleaved round by round. */
final class RoundtripBenchmark {
    private RoundtripBenchmark() {
    }

    static List<Row> run(RoundtripMode mode, Roster roster, Plan plan) {
        List<RoundtripSubject> subjects = roster.roundtripSubjects();
        Map<RoundtripSubject, Tally> tallies = new LinkedHashMap<>();
        subjects.forEach(s -> tallies.put(s, new Tally()));
        long slice = (mode.parked() ? plan.parkedSlice() : plan.gapSlice()).toNanos();
        Rotation.rounds(subjects, plan.rounds(), (round, s) -> {
            Tally t = tallies.get(s);
            if (t.failure() != null) {
                return;
            }
            try {
                s.measure(mode, plan.maxSamplesPerSlice(), slice, t);
            } catch (LostWakeException | IllegalStateException e) {
                t.fail(e.getMessage());
                roster.retire(s, e.getMessage());
            }
        });
        List<Row> rows = new ArrayList<>();
        tallies.forEach((s, t) -> rows.add(Row.latency(mode.benchmark(), s.system(), s.variant(), t, Map.of())));
        return rows;
    }
}
