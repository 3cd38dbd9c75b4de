package io.ringloop.bench;

import io.ringloop.Backend;
import io.ringloop.Doorbell;
import io.ringloop.bench.loop.JdkNioLoop;
import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.bench.loop.NettyLoop;
import io.ringloop.bench.loop.NettyTransport;
import io.ringloop.bench.loop.RingloopLoop;
import io.ringloop.bench.loop.RingloopLoops;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.loop.UnavailableException;
import io.ringloop.bench.measure.CLimit;
import io.ringloop.bench.measure.LoopRoundtrip;
import io.ringloop.bench.measure.Pinning;
import io.ringloop.bench.measure.RoundtripSubject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The systems of one run: every loop that opened, the C limit if it compiled, and why the others are missing.
 *
 * <p>All loops stay open for the whole run (an idle loop sleeps and costs nothing), so that benchmarks can interleave
 * systems round by round.
 */
final class Roster implements AutoCloseable {
    private final List<LoopRoundtrip> loops = new ArrayList<>();
    private final List<Unavailable> unavailable = new ArrayList<>();
    private final Map<String, String> retired = new LinkedHashMap<>();
    private CLimit cLimit;

    private Roster() {
    }

    static Roster open(Predicate<String> wanted, Progress progress) {
        Roster roster = new Roster();
        if (wanted.test("ringloop")) {
            try {
                roster.addAll(new RingloopLoops().open(roster::unavailable), progress);
            } catch (LinkageError e) {
                roster.unavailable(Unavailable.of("ringloop", "all", e));
            }
        }
        if (wanted.test(RingloopLoop.EPOLL_SYSTEM)) {
            try {
                roster.add(RingloopLoop.open(Doorbell.AUTO, Backend.EPOLL), progress);
            } catch (RuntimeException | LinkageError e) {
                roster.unavailable(Unavailable.of(RingloopLoop.EPOLL_SYSTEM, "AUTO", e));
            }
        }
        for (NettyTransport t : NettyTransport.values()) {
            if (wanted.test(t.system())) {
                try {
                    roster.add(NettyLoop.open(t), progress);
                } catch (UnavailableException e) {
                    roster.unavailable(e.unavailable());
                } catch (RuntimeException | LinkageError e) {
                    roster.unavailable(Unavailable.of(t.system(), t.variant(), e));
                }
            }
        }
        if (wanted.test("jdk-nio")) {
            try {
                roster.add(JdkNioLoop.open(), progress);
            } catch (RuntimeException e) {
                roster.unavailable(Unavailable.of("jdk-nio", "Selector", e));
            }
        }
        if (wanted.test("c-limit")) {
            try {
                roster.cLimit = CLimit.compile();
                progress.line("c-limit/futex ready (%s)", roster.cLimit.compiler());
            } catch (CLimit.UnavailableCLimit e) {
                roster.unavailable(e.unavailable());
            }
        }
        roster.unavailable.forEach(u -> progress.line("%s/%s UNAVAILABLE: %s", u.system(), u.variant(), u.cause()));
        return roster;
    }

    private void addAll(List<LoopUnderTest> opened, Progress progress) {
        opened.forEach(l -> add(l, progress));
    }

    private void add(LoopUnderTest loop, Progress progress) {
        Pinning.pinLoop(loop);
        loops.add(new LoopRoundtrip(loop));
        progress.line("%s/%s ready (loop tid %d)", loop.system(), loop.variant(), loop.loopTid());
    }

    private void unavailable(Unavailable u) {
        unavailable.add(u);
    }

    /** In-process loops, in a fixed order: ringloop's variants first, then Netty's, then the JDK's. */
    List<LoopRoundtrip> loops() {
        return loops.stream().filter(l -> !isRetired(l)).toList();
    }

    /** Everything that can do a roundtrip: the loops and the C limit. */
    List<RoundtripSubject> roundtripSubjects() {
        List<RoundtripSubject> all = new ArrayList<>(loops());
        if (cLimit != null) {
            all.add(cLimit);
        }
        return all;
    }

    List<Unavailable> unavailable() {
        return List.copyOf(unavailable);
    }

    /** Takes a system out of the remaining benchmarks: after a lost wake its loop may hold a backlog or be stuck. */
    void retire(RoundtripSubject s, String why) {
        retired.putIfAbsent(label(s), why);
    }

    boolean isRetired(RoundtripSubject s) {
        return retired.containsKey(label(s));
    }

    Map<String, String> retired() {
        return Map.copyOf(retired);
    }

    static String label(RoundtripSubject s) {
        return s.system() + "/" + s.variant();
    }

    @Override
    public void close() {
        for (LoopRoundtrip l : loops) {
            try {
                l.close();
                l.loop().close();
            } catch (RuntimeException ignored) {
                // shutting down: a loop that will not close must not hide the results
            }
        }
    }
}
