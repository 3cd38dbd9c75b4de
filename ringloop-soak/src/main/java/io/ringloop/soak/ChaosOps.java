package io.ringloop.soak;

import io.ringloop.io.IoCancelledException;
import io.ringloop.io.IoClosedException;
import io.ringloop.io.IoTimeoutException;
import io.ringloop.io.RingIoException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The chaos's ledger of operations: every operation is begun here and must end here exactly once (a future's
 * completion, a handler's call); what is outstanding is what the stall detector looks at. Also the run's failures and
 * its counts of operations by kind and fate.
 */
final class ChaosOps {
    /** An operation begun and not yet ended. */
    record Pending(long id, String kind, String what, long startNanos) {
        @Override
        public String toString() {
            return "#" + id + " " + kind + " " + what + " (" + (System.nanoTime() - startNanos) / 1_000_000 + " ms)";
        }
    }

    /** At most this many failures are kept (the first ones say the most). */
    private static final int MAX_FAILURES = 50;

    private final long seed;
    private final ConcurrentHashMap<Long, Pending> outstanding = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    ChaosOps(long seed) {
        this.seed = seed;
    }

    /** Begins an operation; its id is ended exactly once by {@link #end}. */
    long begin(String kind, String what) {
        long id = ids.incrementAndGet();
        outstanding.put(id, new Pending(id, kind, what, System.nanoTime()));
        return id;
    }

    /** Ends an operation with its fate; a second end of the same id is a failure (called twice). */
    void end(long id, String kind, String fate) {
        Pending p = outstanding.remove(id);
        if (p == null) {
            fail(kind + " #" + id + " completed twice (now " + fate + ")");
            return;
        }
        ended.incrementAndGet();
        count(kind + " " + fate);
        if (fate.equals("error-EINTR") || fate.equals("error-EAGAIN")) {
            // "nothing happened, try again": the operation retries it, or ends as cancelled or closed
            fail(p + " ended with a bare " + fate.substring(6));
        }
    }

    /** Ends the operation when the future completes, with the fate read from how it completed. */
    <T> BiConsumer<T, Throwable> ender(long id, String kind) {
        return (v, t) -> end(id, kind, fate(t));
    }

    /** Begins an operation and ends it when its future completes. */
    <T> CompletableFuture<T> track(String kind, String what, CompletableFuture<T> f) {
        long id = begin(kind, what);
        f.whenComplete(ender(id, kind));
        return f;
    }

    void count(String what) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    void count(String what, long n) {
        counts.computeIfAbsent(what, k -> new LongAdder()).add(n);
    }

    long countOf(String what) {
        LongAdder a = counts.get(what);
        return a == null ? 0 : a.sum();
    }

    /** A failed invariant; the message names the seed so that the run can be replayed. */
    void fail(String message) {
        synchronized (failures) {
            if (failures.size() < MAX_FAILURES) {
                failures.add("[seed " + seed + "] " + message);
            }
        }
        System.out.println("chaos FAILURE [seed " + seed + "] " + message);
    }

    boolean failed() {
        return !failures.isEmpty();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    long ended() {
        return ended.get();
    }

    int outstandingCount() {
        return outstanding.size();
    }

    /** Operations outstanding for longer than the bound, oldest first. */
    List<Pending> olderThan(long nanos) {
        long now = System.nanoTime();
        List<Pending> out = new ArrayList<>();
        for (Pending p : outstanding.values()) {
            if (now - p.startNanos() > nanos) {
                out.add(p);
            }
        }
        out.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return out;
    }

    List<Pending> outstanding(int max) {
        List<Pending> all = new ArrayList<>(outstanding.values());
        all.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return all.subList(0, Math.min(max, all.size()));
    }

    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** How an operation ended, from the throwable of its future or handler (null for success). */
    static String fate(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e == null) {
            return "ok";
        }
        if (e instanceof CancellationException || e instanceof IoCancelledException) {
            return "cancelled";
        }
        if (e instanceof IoTimeoutException) {
            return "timeout";
        }
        if (e instanceof IoClosedException) {
            return "closed";
        }
        if (e instanceof RingIoException r) {
            return "error-" + r.errnoName();
        }
        return "unexpected-" + e.getClass().getSimpleName();
    }

    /** The unwrapped cause of a future's failure. */
    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
