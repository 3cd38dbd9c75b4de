package io.ringloop.soak;

import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.examples.EchoHandler;
import io.ringloop.io.AsyncFile;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The soak: cycles of open a loop (each doorbell in turn), mix tasks from two producers (bursts, and lone tasks with
 * random gaps that land anywhere in the loop's spin, arm and park), timers, file writes and reads with checksums, and
 * echo traffic over loopback sockets on the same loop; then close the loop. Asserts that every task and timer ran,
 * every byte came back intact, no lone task waited more than the stall limit, and the process's fds and RSS stay
 * bounded across cycles.
 *
 * <pre>./ringloop soak --minutes N</pre>
 */
public final class Soak {
    /** A lone task not run within this is a stall (a lost wakeup rescued only by the loop's max park). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * RSS may grow by at most this much from a third of the way in to the end: with the heap fixed and pre-touched (the
     * soak module's test JVM runs with {@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}), growth is native memory: rings,
     * buffer rings, native segments, thread stacks, JIT code, and malloc arenas (the test JVM runs with
     * {@code MALLOC_ARENA_MAX=2}). A buffer ring (4 MiB) leaked per cycle would exceed it within 32 cycles.
     */
    static final long RSS_SLACK_BYTES = 128L << 20;
    /** fds may exceed the warm-up count by at most this many (the JDK opens a few lazily). */
    static final int FD_SLACK = 8;

    private final Duration duration;
    private final Path dir;
    private final SplittableRandom random = new SplittableRandom(Long.getLong("ringloop.soak.seed", System.nanoTime()));
    private final List<String> failures = new ArrayList<>();
    private long cycles;
    private long tasks;
    private long timers;
    private long ioBytes;
    private long maxLoneNanos;
    private long msgRingWakes;

    /** What a soak found. */
    public record Result(long cycles, long tasks, long timers, long ioBytes, long msgRingWakes, long maxLoneTaskNanos,
            int fdsStart,
            int fdsEnd, long rssStart, long rssEnd, List<String> failures) {
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
            return String.format("soak: %d cycles, %d tasks, %d timers, %d I/O bytes, %d MSG_RING wakes from other "
                    + "loops, max lone-task wait %.3f ms, "
                    + "fds %d -> %d, RSS %d MiB -> %d MiB, %s", cycles, tasks, timers, ioBytes, msgRingWakes,
                    maxLoneTaskNanos / 1e6, fdsStart, fdsEnd, rssStart >> 20, rssEnd >> 20,
                    failures.isEmpty() ? "OK" : failures.size() + " failure(s): " + failures);
        }
    }

    Soak(Duration duration, Path dir) {
        this.duration = duration;
        this.dir = dir;
    }

    /**
     * Runs a soak.
     *
     * @param duration how long
     * @return what it found
     * @throws IOException if the temp directory cannot be made
     */
    public static Result run(Duration duration) throws IOException {
        Path dir = Files.createTempDirectory("ringloop-soak");
        try {
            return new Soak(duration, dir).run();
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private Result run() {
        List<Doorbell> doorbells = supportedDoorbells();
        // Warm-up: class loading, JIT, the JDK's lazily opened fds, the first buffer rings.
        for (Doorbell d : doorbells) {
            cycle(d, true);
        }
        System.gc();
        int fdsStart = openFds();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        // RSS settles only after some cycles (JIT code, malloc arenas, the heap's pre-touch is already in): the
        // baseline is taken a third of the way in, so that what is measured is growth in steady state.
        long baselineAt = start + duration.toNanos() / 3;
        long rssStart = -1;
        int i = 0;
        while (System.nanoTime() < end && failures.isEmpty()) {
            Doorbell d = doorbells.get(i++ % doorbells.size());
            cycle(d, false);
            cycles++;
            if (rssStart < 0 && System.nanoTime() - baselineAt >= 0) {
                System.gc();
                rssStart = rss();
            }
            if (cycles % 50 == 0) {
                System.out.printf("soak: %d cycles, %d tasks, fds %d, RSS %d MiB%n", cycles, tasks, openFds(),
                        rss() >> 20);
            }
        }
        System.gc();
        int fdsEnd = openFds();
        long rssEnd = rss();
        if (rssStart < 0) {
            rssStart = rssEnd;
        }
        if (fdsEnd > fdsStart + FD_SLACK) {
            failures.add("fd growth: " + fdsStart + " -> " + fdsEnd);
        }
        if (rssEnd > rssStart + RSS_SLACK_BYTES) {
            failures.add("RSS growth beyond " + (RSS_SLACK_BYTES >> 20) + " MiB: "
                    + (rssStart >> 20) + " -> " + (rssEnd >> 20) + " MiB");
        }
        return new Result(cycles, tasks, timers, ioBytes, msgRingWakes, maxLoneNanos, fdsStart, fdsEnd, rssStart,
                rssEnd, List.copyOf(failures));
    }

    static List<Doorbell> supportedDoorbells() {
        List<Doorbell> out = new ArrayList<>();
        for (Doorbell d : Doorbell.values()) {
            if (d == Doorbell.AUTO || d == Doorbell.MSG_RING) {
                // MSG_RING is how loops wake each other, on top of their own doorbell: every cycle exercises it
                continue;
            }
            try {
                EventLoop.open(LoopOptions.builder().doorbell(d).build()).close();
                out.add(d);
            } catch (UnsupportedOperationException e) {
                // this kernel (or the mask) lacks it
            }
        }
        return out;
    }

    private void cycle(Doorbell doorbell, boolean warmup) {
        // Half of the cycles sleep only in the ring, so that every doorbell and MSG_RING carry wakes; the others
        // sleep on the wake word whenever no I/O is in flight.
        LoopOptions options = LoopOptions.builder().doorbell(doorbell).threadName("soak-" + doorbell)
                .maxParkNanos(TimeUnit.SECONDS.toNanos(30)).ringEntries(random.nextBoolean() ? 8 : 256)
                .wordSleep(random.nextBoolean()).build();
        EventLoop loop = EventLoop.open(options);
        String where = doorbell + (warmup ? " (warm-up)" : "") + " cycle " + cycles;
        try {
            CompletableFuture<Long> io = startIo(loop, where);
            long ran = producers(loop, where);
            tasks += ran;
            tasks += fromAnotherLoop(loop, where);
            timers += timers(loop, where);
            try {
                ioBytes += io.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable root = e.getCause() != null ? e.getCause().getCause() : null;
                failures.add(where + ": I/O failed or stalled: " + e + (root != null ? " caused by " + root : "")
                        + "; stats " + loop.stats());
            }
        } catch (Exception e) {
            failures.add(where + ": " + e);
        } finally {
            msgRingWakes += loop.stats().msgRingWakes();
            loop.close();
            if (!loop.isTerminated() || loop.failure() != null) {
                failures.add(where + ": loop did not terminate cleanly: " + loop.failure());
            }
        }
    }

    /** Two producers: bursts, then lone tasks with random gaps; returns the tasks run. */
    private long producers(EventLoop loop, String where) throws InterruptedException {
        AtomicLong ran = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        int burst = 2000 + random.nextInt(20_000);
        int lone = 50 + random.nextInt(150);
        long seed = random.nextLong();
        Thread[] ps = new Thread[2];
        for (int p = 0; p < ps.length; p++) {
            SplittableRandom r = new SplittableRandom(seed + p);
            ps[p] = Thread.ofPlatform().name("soak-producer-" + p).start(() -> {
                for (int i = 0; i < burst; i++) {
                    loop.execute(ran::incrementAndGet);
                }
                for (int i = 0; i < lone && failure.get() == null; i++) {
                    spinFor(r.nextLong(300_000));
                    CountDownLatch done = new CountDownLatch(1);
                    long t0 = System.nanoTime();
                    loop.execute(() -> {
                        ran.incrementAndGet();
                        done.countDown();
                    });
                    try {
                        if (!done.await(STALL_NANOS, TimeUnit.NANOSECONDS)) {
                            failure.compareAndSet(null, "a lone task waited more than 1 s (lost wakeup?); stats "
                                    + loop.stats());
                            done.await();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    long waited = System.nanoTime() - t0;
                    synchronized (this) {
                        maxLoneNanos = Math.max(maxLoneNanos, waited);
                    }
                }
            });
        }
        for (Thread t : ps) {
            t.join();
        }
        long expected = 2L * (burst + lone);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        loop.execute(() -> drained.complete(null));
        try {
            drained.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            failures.add(where + ": the loop did not drain its tasks: " + e);
        }
        if (failure.get() != null) {
            failures.add(where + ": " + failure.get());
        } else if (ran.get() != expected) {
            failures.add(where + ": tasks run " + ran.get() + " != executed " + expected);
        }
        return ran.get();
    }

    /**
     * Lone tasks handed over from another loop's thread: with the target parked, the wake is an
     * {@code IORING_OP_MSG_RING} from the sender's ring ({@code Doorbell.MSG_RING}).
     */
    private long fromAnotherLoop(EventLoop loop, String where) throws InterruptedException {
        int n = 20 + random.nextInt(80);
        try (EventLoop peer = EventLoop.open(LoopOptions.builder().threadName("soak-peer").build())) {
            for (int i = 0; i < n; i++) {
                CountDownLatch done = new CountDownLatch(1);
                long gap = random.nextLong(200_000);
                peer.execute(() -> {
                    spinFor(gap);
                    loop.execute(done::countDown);
                });
                if (!done.await(STALL_NANOS, TimeUnit.NANOSECONDS)) {
                    failures.add(where + ": a task sent from another loop waited more than 1 s; stats " + loop.stats());
                    return i;
                }
            }
        }
        return n;
    }

    private long timers(EventLoop loop, String where) throws InterruptedException {
        int n = 100 + random.nextInt(400);
        CountDownLatch fired = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            loop.schedule(fired::countDown, random.nextLong(5_000), TimeUnit.MICROSECONDS);
        }
        if (!fired.await(10, TimeUnit.SECONDS)) {
            failures.add(where + ": " + fired.getCount() + " of " + n + " timers did not fire; stats " + loop.stats());
        }
        return n - fired.getCount();
    }

    /** A file written and read back, and echo traffic over a few connections, all on the loop; returns the bytes. */
    private CompletableFuture<Long> startIo(EventLoop loop, String where) throws IOException {
        CompletableFuture<Long> file = fileRoundTrip(loop, dir.resolve("f" + cycles), 1 + random.nextInt(64) * 16384,
                random.nextLong());
        AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
        server.accept(s -> s.receive(EchoHandler.INSTANCE));
        List<CompletableFuture<Long>> all = new ArrayList<>();
        all.add(file);
        int conns = 1 + random.nextInt(16);
        for (int i = 0; i < conns; i++) {
            all.add(echo(loop, server.localAddress(), 1 + random.nextInt(256 << 10), random.nextLong()));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            server.closeAsync();
            return all.stream().mapToLong(CompletableFuture::join).sum();
        });
    }

    private static CompletableFuture<Long> fileRoundTrip(EventLoop loop, Path p, int size, long seed)
            throws RingIoException {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        MemorySegment src = Arena.ofAuto().allocate(size);
        MemorySegment.copy(bytes, 0, src, JAVA_BYTE, 0, size);
        MemorySegment dst = Arena.ofAuto().allocate(size);
        AsyncFile f = AsyncFile.open(loop, p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        return f.writeAll(src, 0)
                .thenCompose(n -> f.fdatasync())
                .thenCompose(v -> f.read(dst, 0))
                .thenApply(n -> {
                    f.closeAsync();
                    if (n != size || !crc(src).equals(crc(dst))) {
                        throw new IllegalStateException("file " + p + ": read " + n + " of " + size
                                + " bytes, or the checksum differs");
                    }
                    return 2L * size;
                });
    }

    private static CompletableFuture<Long> echo(EventLoop loop, InetSocketAddress server, int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        MemorySegment src = Arena.ofAuto().allocate(size);
        MemorySegment.copy(bytes, 0, src, JAVA_BYTE, 0, size);
        CRC32 sent = new CRC32();
        sent.update(bytes);
        CompletableFuture<Long> done = new CompletableFuture<>();
        AsyncSocket.connect(loop, server).whenComplete((s, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
                return;
            }
            CRC32 got = new CRC32();
            long[] n = {0};
            s.receive(new ReceiveHandler() {
                @Override
                public void onData(AsyncSocket socket, MemorySegment data) {
                    got.update(data.asByteBuffer());
                    n[0] += data.byteSize();
                    if (n[0] >= size) {
                        socket.close();
                        if (n[0] == size && got.getValue() == sent.getValue()) {
                            done.complete(2L * size);
                        } else {
                            done.completeExceptionally(new IllegalStateException("echo of " + size
                                    + " bytes came back as " + n[0] + " bytes or with another checksum"));
                        }
                    }
                }

                @Override
                public void onEnd(AsyncSocket socket, RingIoException error) {
                    if (!done.isDone()) {
                        done.completeExceptionally(new IllegalStateException("echo ended after " + n[0] + " of "
                                + size + " bytes", error));
                    }
                }
            });
            s.writeAll(src).exceptionally(t -> {
                done.completeExceptionally(t);
                return 0L;
            });
        });
        return done;
    }

    private static Long crc(MemorySegment s) {
        CRC32 c = new CRC32();
        c.update(s.asByteBuffer());
        return c.getValue();
    }

    private static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** The process's resident memory; with a fixed, pre-touched heap its growth is native memory. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * {@code ./ringloop soak [--minutes N] [--seconds N] [--chaos-only] [--seed S]}: the soak, then the chaos
     * ({@link Chaos}) as long (at least a minute); or only the chaos. Exits 0 if clean, 1 otherwise.
     *
     * @param args the options
     * @throws IOException if the temp directory cannot be made
     */
    public static void main(String[] args) throws IOException {
        long seconds = 60;
        boolean chaosOnly = false;
        long seed = Long.getLong("ringloop.chaos.seed", System.nanoTime());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> seconds = 60L * Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--chaos-only" -> chaosOnly = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: ./ringloop soak [--minutes N | --seconds N] [--chaos-only] [--seed S]");
                    System.out.println("  the soak for the duration (default 1 minute), then the chaos (Chaos) as long,"
                            + " at least 1 minute;");
                    System.out.println("  --chaos-only runs only the chaos, for the duration; --seed replays a chaos"
                            + " seed");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + "; try --help");
                    System.exit(2);
                }
            }
        }
        if (seconds <= 0) {
            System.err.println("the duration must be positive");
            System.exit(2);
        }
        boolean ok = true;
        if (!chaosOnly) {
            System.out.println("soak for " + seconds + " s across " + supportedDoorbells());
            Result r = run(Duration.ofSeconds(seconds));
            System.out.println(r);
            ok = r.ok();
        }
        long chaosSeconds = chaosOnly ? seconds : Math.max(60, seconds);
        System.out.println("chaos for " + chaosSeconds + " s");
        Chaos.Result c = Chaos.run(seed, Duration.ofSeconds(chaosSeconds));
        System.out.println(c);
        System.exit(ok && c.ok() ? 0 : 1);
    }
}
