package io.ringloop.bench;

import io.ringloop.LoopGroup;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.report.Row;
import io.ringloop.io.AsyncFile;
import io.ringloop.io.blocking.BlockingFile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * vt_file_randread_4k: 256 virtual threads, each reading 4 KiB at random aligned offsets of a file held in the page
 * cache, one read at a time: ringloop's {@link BlockingFile} (one loop) against the JDK's {@link FileChannel}, both
 * positional reads of one shared channel, interleaved round by round. Besides IOPS and each read's latency, it counts
 * the platform threads the JVM had to add during the run: a virtual thread in {@code FileChannel.read} holds its
 * carrier in the system call, and the JDK makes up for it by starting more carriers.
 */
final class VtFileRandReadBenchmark {
    static final String NAME = "vt_file_randread_4k";
    static final String LATENCY = "vt_file_randread_4k_latency";
    static final int THREADS = 256;
    private static final int BLOCK = 4096;
    private static final String CACHED = "page cache";
    private static final String DIRECT = "O_DIRECT";

    private VtFileRandReadBenchmark() {
    }

    /** A positional read. */
    private interface Read {
        int read(ByteBuffer dst, long position) throws IOException;
    }

    /** How one system reads a block; thread-safe. */
    private interface Reader extends Read, AutoCloseable {
        @Override
        void close() throws IOException;

        /** A positional read of a channel, which the reader closes. */
        static Reader of(Read read, Channel channel) {
            return new Reader() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return read.read(dst, position);
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }
    }

    private static final class Subject {
        final String system;
        final String variant;
        final Reader reader;
        final Tally tally = new Tally();
        final Map<String, Object> extra = new LinkedHashMap<>();
        long reads;
        long nanos;
        int addedPeak;
        long started;

        Subject(String system, String variant, String cache, Reader reader) {
            this.system = system;
            this.variant = variant;
            this.reader = reader;
            extra.put("cache", cache);
        }
    }

    static List<Row> run(Plan plan, Predicate<String> wanted, Progress progress, List<Unavailable> unavailable) {
        IoPlan io = plan.io();
        List<Subject> subjects = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        Path dir = null;
        LoopGroup group = null;
        try {
            dir = Files.createTempDirectory("ringloop-vt-randread");
            Path file = dir.resolve("data");
            long t0 = System.nanoTime();
            FileRandReadBenchmark.create(file, io.vtFileBytes());
            progress.line("%s: %d MiB file in the page cache (%s), made in %.1f s", NAME, io.vtFileBytes() >> 20,
                    file, (System.nanoTime() - t0) / 1e9);
            if (wanted.test("ringloop")) {
                group = LoopGroup.open(1);
                subjects.add(ours(group, file, CACHED));
            }
            if (wanted.test(ServerUnderTest.JDK_VT)) {
                subjects.add(jdk(file, CACHED));
            }
            if (AsyncFile.DIRECT != null && wanted.test("ringloop")) {
                try {
                    subjects.add(ours(group, file, DIRECT));
                } catch (IOException e) {
                    unavailable.add(new Unavailable("ringloop", NAME + " O_DIRECT", e.getMessage()));
                }
            }
            if (AsyncFile.DIRECT != null && wanted.test(ServerUnderTest.JDK_VT)) {
                try {
                    subjects.add(jdk(file, DIRECT));
                } catch (IOException e) {
                    unavailable.add(new Unavailable(ServerUnderTest.JDK_VT, NAME + " O_DIRECT", e.getMessage()));
                }
            }
            startCarriers();
            for (Subject s : subjects) {
                slice(s, io.vtFileBytes(), io.fileWarmup().toNanos(), new Tally());
                s.reads = 0;
                s.nanos = 0;
                // the thread counts keep the warm-up's: carriers the JDK adds then stay for its rounds
            }
            Rotation.rounds(subjects, rounds(plan), (round, s) -> {
                if (s.tally.failure() == null && !Thread.currentThread().isInterrupted()) {
                    slice(s, io.vtFileBytes(), io.fileRun().toNanos(), s.tally);
                }
            });
            for (Subject s : subjects) {
                rows.add(rate(s));
            }
            for (Subject s : subjects) {
                rows.add(Row.latency(LATENCY, s.system, s.variant, s.tally,
                        Map.of("threads", THREADS, "cache", s.extra.get("cache"))));
            }
        } catch (IOException e) {
            unavailable.add(new Unavailable("ringloop", NAME, "cannot make or open the file: " + e.getMessage()));
        } finally {
            for (Subject s : subjects) {
                try {
                    s.reader.close();
                } catch (IOException ignored) {
                    // the figures are in
                }
            }
            if (group != null) {
                group.close();
            }
            FileRandReadBenchmark.delete(dir);
        }
        return rows;
    }

    private static Subject ours(LoopGroup group, Path file, String cache) throws IOException {
        BlockingFile f = cache.equals(DIRECT) ? BlockingFile.open(group, file, AsyncFile.DIRECT)
                : BlockingFile.open(group, file);
        return new Subject("ringloop", "BlockingFile, 1 loop, " + cache, cache, Reader.of(f::read, f));
    }

    private static Subject jdk(Path file, String cache) throws IOException {
        FileChannel ch = cache.equals(DIRECT) ? FileChannel.open(file, StandardOpenOption.READ, AsyncFile.DIRECT)
                : FileChannel.open(file);
        return new Subject(ServerUnderTest.JDK_VT, "FileChannel, " + cache, cache, Reader.of(ch::read, ch));
    }

    /**
     * Starts the virtual-thread scheduler's usual carriers (one per CPU) before anything is counted: busy virtual
     * threads, one per CPU, for a few milliseconds each, so that the first subject is not charged for them.
     */
    private static void startCarriers() {
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            busy.add(Thread.ofVirtual().start(() -> {
                long end = System.nanoTime() + 20_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }));
        }
        for (Thread t : busy) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** At least three: the machine is noisy. */
    static int rounds(Plan plan) {
        return Math.max(3, plan.io().fileRounds());
    }

    /** Every thread reads blocks until the time is up; a thread that fails fails the subject. */
    private static void slice(Subject s, long size, long nanos, Tally tally) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        long startedBefore = threads.getTotalStartedThreadCount();
        threads.resetPeakThreadCount();
        long blocks = size / BLOCK;
        long start = System.nanoTime();
        long end = start + nanos;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> running = new ArrayList<>();
        long[][] counts = new long[THREADS][1];
        Tally[] tallies = new Tally[THREADS];
        for (int t = 0; t < THREADS; t++) {
            Tally mine = tallies[t] = new Tally();
            long[] count = counts[t];
            SplittableRandom random = new SplittableRandom(31L * t + s.reads);
            running.add(Thread.ofVirtual().start(() -> {
                // aligned for O_DIRECT
                ByteBuffer buf = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK).slice();
                try {
                    for (long now = System.nanoTime(); now < end; ) {
                        long at = random.nextLong(blocks) * BLOCK;
                        buf.clear();
                        while (buf.hasRemaining()) {
                            if (s.reader.read(buf, at + buf.position()) < 0) {
                                throw new IOException("end of file at " + (at + buf.position()));
                            }
                        }
                        long done = System.nanoTime();
                        mine.record(done - now);
                        count[0]++;
                        now = done;
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        try {
            for (Thread t : running) {
                if (!t.join(Duration.ofNanos(nanos).plusSeconds(30))) {
                    failure.compareAndSet(null, new IllegalStateException("a reading thread did not end: stalled"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        }
        s.nanos += System.nanoTime() - start;
        for (int t = 0; t < THREADS; t++) {
            s.reads += counts[t][0];
            tally.samples().add(tallies[t].samples());
        }
        s.addedPeak = Math.max(s.addedPeak, threads.getPeakThreadCount() - before);
        s.started += threads.getTotalStartedThreadCount() - startedBefore;
        if (failure.get() != null) {
            tally.fail(failure.get().toString());
        }
    }

    private static Row rate(Subject s) {
        Map<String, Object> extra = new LinkedHashMap<>(s.extra);
        extra.put("threads", THREADS);
        extra.put("platform_threads_added_peak", s.addedPeak);
        extra.put("platform_threads_started", s.started);
        if (s.tally.failure() != null) {
            extra.put("failure", s.tally.failure());
        }
        if (s.reads == 0 || s.nanos == 0) {
            extra.putIfAbsent("note", "no reads");
            return new Row(NAME, s.system, s.variant, Row.OPS, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, 0, extra);
        }
        extra.put("read_p99_ns", s.tally.samples().getValueAtPercentile(99));
        return Row.throughput(NAME, s.system, s.variant, s.reads * 1e9 / s.nanos, s.reads, extra);
    }
}
