package io.ringloop.bench;

import io.ringloop.Backend;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.bench.io.Fio;
import io.ringloop.bench.io.RandomReads;
import io.ringloop.bench.io.Tools;
import io.ringloop.bench.loop.RingloopLoop;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.report.Row;
import io.ringloop.io.AsyncFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import java.util.function.Predicate;

/**
 * file_randread_4k: 4 KiB reads at random aligned offsets of a file held in the page cache, 32 in flight: ringloop's
 * {@link AsyncFile} on one loop (callback form) against fio's io_uring engine, interleaved round by round.
 */
final class FileRandReadBenchmark {
    static final String NAME = "file_randread_4k";
    static final int DEPTH = 32;

    private FileRandReadBenchmark() {
    }

    /** One side: runs a slice and adds up reads and time. */
    private abstract static class Subject implements AutoCloseable {
        final String system;
        final String variant;
        final Map<String, Object> extra = new LinkedHashMap<>();
        long reads;
        long nanos;
        String failure;

        Subject(String system, String variant) {
            this.system = system;
            this.variant = variant;
        }

        abstract void slice(long nanos) throws Exception;

        Row row() {
            Map<String, Object> more = new LinkedHashMap<>(extra);
            if (failure != null) {
                more.put("failure", failure);
            }
            if (reads == 0 || nanos == 0) {
                more.putIfAbsent("note", "no reads");
                return new Row(NAME, system, variant, Row.OPS, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, 0, more);
            }
            return Row.throughput(NAME, system, variant, reads * 1e9 / nanos, reads, more);
        }

        @Override
        public void close() {
        }
    }

    private static final class Ours extends Subject {
        private final EventLoop loop;
        private final AsyncFile file;
        private final RandomReads reader;
        private long shortReads;

        Ours(Path path, long size, Backend backend) throws IOException {
            super(backend == Backend.EPOLL ? RingloopLoop.EPOLL_SYSTEM : "ringloop", "AsyncFile");
            loop = EventLoop.open(LoopOptions.builder().backend(backend).build());
            try {
                file = AsyncFile.open(loop, path);
                reader = new RandomReads(file, size, DEPTH);
            } catch (IOException | RuntimeException e) {
                loop.close();
                throw e;
            }
            extra.put("how", "one loop, callback form, doorbell " + loop.doorbell() + ", ring " + loop.ringFlags()
                    + (backend == Backend.EPOLL ? ", epoll backend: reads on its file worker threads" : ""));
        }

        @Override
        void slice(long nanos) throws Exception {
            RandomReads.Result r = reader.run(nanos);
            this.reads += r.reads();
            this.nanos += r.nanos();
            shortReads += r.shortReads();
            if (shortReads > 0) {
                extra.put("short_reads", shortReads);
            }
        }

        @Override
        public void close() {
            file.close();
            reader.close();
            loop.close();
        }
    }

    private static final class Peer extends Subject {
        private final Path fio;
        private final Path path;
        private final long size;

        Peer(Path fio, Path path, long size) {
            super("fio", "io_uring");
            this.fio = fio;
            this.path = path;
            this.size = size;
            extra.put("how", Tools.version(fio, "--version") + " --ioengine=io_uring --iodepth=" + DEPTH
                    + " --invalidate=0 --norandommap");
        }

        @Override
        void slice(long nanos) throws Exception {
            Fio.Result r = Fio.run(fio, path, size, DEPTH, Duration.ofNanos(nanos));
            reads += r.ios();
            this.nanos += r.runtimeMillis() * 1_000_000L;
        }
    }

    static List<Row> run(Plan plan, Predicate<String> wanted, Progress progress, List<Unavailable> unavailable) {
        IoPlan io = plan.io();
        Path fio = null;
        if (wanted.test("fio")) {
            try {
                fio = Tools.require("fio", "fio", progress::line);
            } catch (Tools.ToolUnavailableException e) {
                unavailable.add(new Unavailable("fio", "io_uring", e.getMessage()));
            }
        }
        if (!wanted.test("ringloop") && !wanted.test(RingloopLoop.EPOLL_SYSTEM) && fio == null) {
            return List.of();
        }
        List<Subject> subjects = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ringloop-randread");
            Path file = dir.resolve("data");
            long t0 = System.nanoTime();
            create(file, io.fileBytes());
            progress.line("%s: %d MiB file in the page cache (%s), made in %.1f s", NAME, io.fileBytes() >> 20,
                    file, (System.nanoTime() - t0) / 1e9);
            for (Backend backend : List.of(Backend.IO_URING, Backend.EPOLL)) {
                String system = backend == Backend.EPOLL ? RingloopLoop.EPOLL_SYSTEM : "ringloop";
                if (!wanted.test(system)) {
                    continue;
                }
                Ours ours = null;
                try {
                    ours = new Ours(file, io.fileBytes(), backend);
                    subjects.add(ours);
                    ours.reader.run(io.fileWarmup().toNanos());
                } catch (Exception | LinkageError e) {
                    if (ours == null) {
                        unavailable.add(Unavailable.of(system, "AsyncFile", e));
                    } else {
                        ours.failure = "warm-up: " + e;
                    }
                }
            }
            if (fio != null) {
                subjects.add(new Peer(fio, file, io.fileBytes()));
            }
            Rotation.rounds(subjects, io.fileRounds(), (round, s) -> {
                if (s.failure != null || Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    s.slice(io.fileRun().toNanos());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    s.failure = e.toString();
                }
            });
            subjects.forEach(s -> rows.add(s.row()));
        } catch (IOException e) {
            String why = "cannot make the file: " + e.getMessage();
            for (String system : List.of("ringloop", RingloopLoop.EPOLL_SYSTEM)) {
                if (wanted.test(system)) {
                    rows.add(Row.unmeasurable(NAME, system, "AsyncFile", Row.OPS, why));
                }
            }
            if (fio != null) {
                rows.add(Row.unmeasurable(NAME, "fio", "io_uring", Row.OPS, why));
            }
        } finally {
            subjects.forEach(Subject::close);
            delete(dir);
        }
        return rows;
    }

    /** Writes the file (not sparse: every block is real data), syncs it so no writeback runs during the reads. */
    static void create(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            for (long at = 0; at < size; at += chunk.capacity()) {
                chunk.clear();
                while (chunk.remaining() >= 8) {
                    chunk.putLong(random.nextLong());
                }
                chunk.flip();
                chunk.limit((int) Math.min(chunk.limit(), size - at));
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
            ch.force(false);
            // read it all once: the pages are cached now either way, and this proves it can be read
            for (long at = 0; at < size; at += chunk.capacity()) {
                chunk.clear();
                ch.read(chunk, at);
            }
        }
    }

    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
