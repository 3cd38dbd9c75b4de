package io.ringloop.bench;

import io.ringloop.bench.loop.LoopPair;
import io.ringloop.bench.loop.NettyPair;
import io.ringloop.bench.loop.NettyTransport;
import io.ringloop.bench.loop.RingloopPair;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.loop.UnavailableException;
import io.ringloop.bench.measure.LoopToLoopRoundtrip;
import io.ringloop.bench.measure.LostWakeException;
import io.ringloop.bench.measure.Pinning;
import io.ringloop.bench.measure.RoundtripMode;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.report.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * loop_to_loop_roundtrip: a loop hands a task to a sleeping loop of the same system, which answers back. ringloop with
 * MSG_RING between its loops and with it turned off (each loop rung through the other's eventfd doorbell), against
 * Netty executor-to-executor on io_uring and epoll, each pair in a group of its own. Pairs are opened for this
 * benchmark only and closed after it.
 */
final class LoopToLoopBenchmark {
    static final String NAME = "loop_to_loop_roundtrip";
    private static final RoundtripMode MODE = new RoundtripMode(NAME, -1);
    private static final int WARMUP_ROUNDTRIPS = 5_000;

    private LoopToLoopBenchmark() {
    }

    static List<Row> run(Predicate<String> wanted, Plan plan, Progress progress, Consumer<Unavailable> unavailable) {
        List<LoopToLoopRoundtrip> subjects = open(wanted, progress, unavailable);
        try {
            Map<LoopToLoopRoundtrip, Tally> tallies = new LinkedHashMap<>();
            Map<LoopToLoopRoundtrip, Map<String, Long>> before = new LinkedHashMap<>();
            for (LoopToLoopRoundtrip s : subjects) {
                Tally t = new Tally();
                tallies.put(s, t);
                try {
                    for (int i = 0; i < WARMUP_ROUNDTRIPS; i++) {
                        s.roundtrip();
                    }
                } catch (LostWakeException e) {
                    t.fail("during warm-up: " + e.getMessage());
                }
                before.put(s, s.pair().wakeCounters());
            }
            long slice = plan.parkedSlice().toNanos();
            Rotation.rounds(subjects, plan.rounds(), (round, s) -> {
                Tally t = tallies.get(s);
                if (t.failure() != null) {
                    return;
                }
                try {
                    s.measure(MODE, plan.maxSamplesPerSlice(), slice, t);
                } catch (LostWakeException | IllegalStateException e) {
                    t.fail(e.getMessage());
                }
            });
            List<Row> rows = new ArrayList<>();
            tallies.forEach((s, t) -> rows.add(Row.latency(NAME, s.system(), s.variant(), t,
                    perRoundtrip(before.get(s), s.pair().wakeCounters(), t))));
            return rows;
        } finally {
            for (LoopToLoopRoundtrip s : subjects) {
                try {
                    s.close();
                    s.pair().close();
                } catch (RuntimeException ignored) {
                    // shutting down: a pair that will not close must not hide the results
                }
            }
        }
    }

    /**
     * The loops' own wake counters over the measured part, per roundtrip (skipped samples included, since their
     * roundtrips also ran): 2.0 means both hand-overs of every roundtrip took that path.
     */
    private static Map<String, Object> perRoundtrip(Map<String, Long> before, Map<String, Long> after, Tally t) {
        Map<String, Object> m = new LinkedHashMap<>();
        long roundtrips = t.samples().getTotalCount();
        if (roundtrips == 0) {
            return m;
        }
        after.forEach((k, v) -> m.put(k + "_per_roundtrip", (v - before.getOrDefault(k, 0L)) / (double) roundtrips));
        return m;
    }

    private static List<LoopToLoopRoundtrip> open(Predicate<String> wanted, Progress progress,
            Consumer<Unavailable> unavailable) {
        List<LoopPair> pairs = new ArrayList<>();
        if (wanted.test("ringloop")) {
            for (boolean msgRing : new boolean[] {true, false}) {
                try {
                    pairs.add(RingloopPair.open(msgRing));
                } catch (UnavailableException e) {
                    unavailable.accept(e.unavailable());
                } catch (RuntimeException | LinkageError e) {
                    unavailable.accept(Unavailable.of("ringloop", msgRing ? "MSG_RING" : "doorbell", e));
                }
            }
        }
        for (NettyTransport t : List.of(NettyTransport.IO_URING, NettyTransport.EPOLL)) {
            if (wanted.test(t.system())) {
                try {
                    pairs.add(NettyPair.open(t));
                } catch (UnavailableException e) {
                    unavailable.accept(e.unavailable());
                } catch (RuntimeException | LinkageError e) {
                    unavailable.accept(Unavailable.of(t.system(), t.variant(), e));
                }
            }
        }
        List<LoopToLoopRoundtrip> subjects = new ArrayList<>();
        for (LoopPair p : pairs) {
            // Pinned: A with the producers, B on the loop CPU, so that each hand-over crosses CPUs.
            Pinning.pinProducerSide(p.a());
            Pinning.pinLoopSide(p.b());
            subjects.add(new LoopToLoopRoundtrip(p));
            progress.line("%s/%s loop pair ready (loop B tid %d)", p.system(), p.variant(), p.tidB());
        }
        return subjects;
    }
}
