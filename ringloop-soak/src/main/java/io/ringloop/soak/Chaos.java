package io.ringloop.soak;

import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.io.RingIoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The chaos: seeded random reads, writes, cancels, timeouts and closes of channels and of whole loops, from loop
 * threads and from other threads, over loopback connections (each end writes framed messages and reads the other's)
 * and a file of checksummed blocks, in epochs: each opens a {@code LoopGroup} and a lone loop, runs two workers for a
 * few seconds, and ends by closing the loops with operations in flight. Checks that every operation ends exactly
 * once and within the stall bound, that streams carry no corrupt, duplicated, reordered or unsent message
 * ({@link ChaosStream}), that file blocks read back as written ({@link ChaosFile}), and that no fd leaks.
 *
 * <pre>./ringloop soak --chaos-only --minutes N</pre>
 */
public final class Chaos {
    /** Every operation must end within this. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int WORKERS = 2;

    private final long seed;
    private final Duration duration;
    private final Path dir;
    private final ChaosOps ops;
    private final SplittableRandom random;
    private volatile ChaosEpoch current;

    /** What a chaos run found. */
    public record Result(long seed, Duration ran, long epochs, long loopsOpened, Map<String, Long> ops,
            long bytesChecked, long framesChecked, long blocksChecked, int fdsStart, int fdsEnd,
            List<String> failures) {
        /**
         * Whether nothing failed.
         *
         * @return true if clean
         */
        public boolean ok() {
            return failures.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("chaos (seed %d): %d s, %d epochs, %d loops opened and closed, %d stream bytes "
                    + "and %d messages checked, %d file blocks checked, fds %d -> %d, %s%n", seed, ran.toSeconds(),
                    epochs, loopsOpened, bytesChecked, framesChecked, blocksChecked, fdsStart, fdsEnd,
                    failures.isEmpty() ? "OK" : failures.size() + " FAILURE(S)"));
            ops.forEach((k, v) -> b.append(String.format("  %-40s %d%n", k, v)));
            for (String f : failures) {
                b.append("  FAILURE ").append(f).append('\n');
            }
            return b.toString();
        }
    }

    Chaos(long seed, Duration duration, Path dir) {
        this.seed = seed;
        this.duration = duration;
        this.dir = dir;
        this.ops = new ChaosOps(seed);
        this.random = new SplittableRandom(seed);
    }

    /**
     * Runs the chaos with a seed from {@code -Dringloop.chaos.seed} or the clock.
     *
     * @param duration how long (after a short warm-up)
     * @return what it found
     * @throws IOException if the temp directory cannot be made
     */
    public static Result run(Duration duration) throws IOException {
        return run(Long.getLong("ringloop.chaos.seed", System.nanoTime()), duration);
    }

    /**
     * Runs the chaos.
     *
     * @param seed the seed (printed; a run is replayed by it as far as thread timing allows)
     * @param duration how long (after a short warm-up)
     * @return what it found
     * @throws IOException if the temp directory cannot be made
     */
    public static Result run(long seed, Duration duration) throws IOException {
        System.out.println("chaos: seed " + seed + " (replay with -Dringloop.chaos.seed=" + seed + ")");
        Path dir = Files.createTempDirectory("ringloop-chaos");
        try {
            return new Chaos(seed, duration, dir).run();
        } finally {
            Files.deleteIfExists(dir.resolve("blocks"));
            Files.deleteIfExists(dir);
        }
    }

    private Result run() throws IOException {
        List<Doorbell> doorbells = Soak.supportedDoorbells();
        ScheduledExecutorService elsewhere = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("chaos-elsewhere").daemon().unstarted(r));
        ChaosFile file = new ChaosFile(dir.resolve("blocks"), ops);
        long start = System.nanoTime();
        int fdsStart = -1;
        long epochs = 0;
        long bytes = 0;
        long frames = 0;
        try (ChaosWatchdog watchdog = new ChaosWatchdog(ops, STALL_NANOS, this::stats)) {
            long end = Long.MAX_VALUE;
            while (System.nanoTime() < end && !ops.failed()) {
                ChaosEpoch e;
                try {
                    e = new ChaosEpoch((int) epochs, ops, elsewhere, random.nextLong(), doorbells);
                } catch (RingIoException ex) {
                    ops.fail("epoch " + epochs + " could not start: " + ex);
                    break;
                }
                current = e;
                file.open(e.randomLoop(random));
                long[] got = epoch(e, file, epochs == 0 ? 500 : 1000 + random.nextInt(2500), watchdog);
                bytes += got[0];
                frames += got[1];
                epochs++;
                if (epochs == 1) {
                    // the first epoch warms up: class loading, JIT, the JDK's lazily opened fds
                    System.gc();
                    fdsStart = Soak.openFds();
                    start = System.nanoTime();
                    end = start + duration.toNanos();
                }
                if (epochs % 10 == 0) {
                    System.out.printf("chaos: %d epochs, %d ops ended, %d stream bytes checked, fds %d%n", epochs,
                            ops.ended(), bytes, Soak.openFds());
                }
                if (watchdog.stalled()) {
                    break;
                }
            }
        } finally {
            elsewhere.shutdown();
        }
        System.gc();
        int fdsEnd = Soak.openFds();
        if (!ops.failed() && fdsEnd > fdsStart + Soak.FD_SLACK) {
            ops.fail("fd growth: " + fdsStart + " -> " + fdsEnd);
        }
        return new Result(seed, Duration.ofNanos(System.nanoTime() - start), epochs, 3 * epochs, ops.counts(),
                bytes, frames, ops.countOf("file blocks-checked"), fdsStart, fdsEnd, ops.failures());
    }

    /** One epoch: workers for its time, then its end; returns the stream bytes and messages it checked. */
    private long[] epoch(ChaosEpoch e, ChaosFile file, long millis, ChaosWatchdog watchdog) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Thread[] workers = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            SplittableRandom r = new SplittableRandom(random.nextLong());
            workers[i] = Thread.ofPlatform().name("chaos-worker-" + i).daemon().start(() -> {
                while (System.nanoTime() < until && !watchdog.stalled()) {
                    step(e, file, r);
                    if (r.nextInt(4) == 0) {
                        LockSupport.parkNanos(r.nextLong(200_000));
                    }
                }
            });
        }
        for (Thread w : workers) {
            try {
                w.join(TimeUnit.NANOSECONDS.toMillis(STALL_NANOS) + millis);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (w.isAlive()) {
                ops.fail("epoch " + e.number + ": a worker is stuck: " + stackOf(w));
            }
        }
        boolean graceful = random.nextInt(3) == 0;
        ops.count(graceful ? "epoch ends channels first" : "epoch ends loops with I/O in flight");
        if (!e.end(graceful, STALL_NANOS)) {
            return new long[] {0, 0};
        }
        // Every operation must have ended, and every reader with it (a read refused by a closed loop ends it).
        long deadline = System.nanoTime() + STALL_NANOS;
        while (System.nanoTime() < deadline && (ops.outstandingCount() > 0 || !readersEnded(e))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (ops.outstandingCount() > 0 || !readersEnded(e)) {
            ops.fail("epoch " + e.number + ": after its loops closed, " + ops.outstandingCount()
                    + " operation(s) never ended: " + ops.outstanding(20));
            return new long[] {0, 0};
        }
        long bytes = 0;
        long frames = 0;
        for (ChaosEpoch.Connection c : e.connections()) {
            c.up().verify();
            c.down().verify();
            bytes += c.up().bytes() + c.down().bytes();
            frames += c.up().frames() + c.down().frames();
        }
        return new long[] {bytes, frames};
    }

    private static boolean readersEnded(ChaosEpoch e) {
        for (ChaosEpoch.Connection c : e.connections()) {
            if (!c.up().readerEnded() || !c.down().readerEnded()) {
                return false;
            }
        }
        return true;
    }

    /** One random action, here or on a random loop's thread. */
    private void step(ChaosEpoch e, ChaosFile file, SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            EventLoop loop = e.randomLoop(r);
            SplittableRandom onLoop = r.split();
            try {
                loop.execute(() -> act(e, file, onLoop));
                ops.count("action on a loop thread");
                return;
            } catch (RejectedExecutionException ex) {
                // closed: act here instead
            }
        }
        act(e, file, r);
    }

    private void act(ChaosEpoch e, ChaosFile file, SplittableRandom r) {
        int what = r.nextInt(1000);
        if (what < 400) {
            ChaosEnd end = e.randomEnd(r);
            if (end != null) {
                end.write(r);
            }
        } else if (what < 520) {
            ChaosEnd end = e.randomEnd(r);
            if (end != null) {
                end.cancelOne(r);
            }
        } else if (what < 530) {
            ChaosEnd end = e.randomEnd(r);
            if (end != null) {
                end.close(r);
                ops.count("channel close");
            }
        } else if (what < 540) {
            ChaosEnd end = e.randomEnd(r);
            if (end != null) {
                end.shutdownOutput();
            }
        } else if (what < 560) {
            e.connect(r);
        } else if (what < 996) {
            file.step(r);
        } else if (what < 999) {
            file.open(e.openLoop(r));
        } else {
            e.closeSoloLoop(r);
        }
    }

    private String stats() {
        ChaosEpoch e = current;
        return e == null ? "(none)" : "epoch " + e.number + ": " + e.stats();
    }

    private static String stackOf(Thread t) {
        StringBuilder b = new StringBuilder(t.getName());
        for (StackTraceElement s : t.getStackTrace()) {
            b.append("\n    at ").append(s);
        }
        return b.toString();
    }

    /**
     * {@code ./ringloop soak --chaos-only [--minutes N] [--seconds N] [--seed S]}: exits 0 if clean, 1 otherwise.
     *
     * @param args the options
     * @throws IOException if the temp directory cannot be made
     */
    public static void main(String[] args) throws IOException {
        long seconds = 60;
        long seed = Long.getLong("ringloop.chaos.seed", System.nanoTime());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> seconds = 60L * Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: Chaos [--minutes N | --seconds N] [--seed S]");
                    System.exit(2);
                }
            }
        }
        Result r = run(seed, Duration.ofSeconds(seconds));
        System.out.println(r);
        System.exit(r.ok() ? 0 : 1);
    }
}
