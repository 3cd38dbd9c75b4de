package io.ringloop.bench.io;

import io.ringloop.io.AsyncFile;
import io.ringloop.io.IoHandler;
import io.ringloop.io.RingIoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ringloop's side of file_randread_4k: a fixed number of 4 KiB reads kept in flight on one loop, in the callback form
 * ({@link AsyncFile#read(MemorySegment, long, long, TimeUnit, Object, IoHandler)}): each completion, on the loop
 * thread, starts the next read into the same buffer at a new random 4 KiB-aligned offset, until the time is up.
 */
public final class RandomReads implements AutoCloseable {
    /** Bytes per read. */
    public static final int BLOCK = 4096;

    private final AsyncFile file;
    private final long blocks;
    private final MemorySegment[] buffers;
    private final Arena arena = Arena.ofShared();
    private long seed = System.nanoTime() | 1;

    /**
     * Result of one timed run.
     *
     * @param reads reads completed (every one of them full: see shortReads)
     * @param nanos from the first read's start to the last completion
     * @param shortReads reads that returned fewer than 4096 bytes (there should be none)
     */
    public record Result(long reads, long nanos, long shortReads) {
        /**
         * Reads per second.
         *
         * @return the rate
         */
        public double iops() {
            return reads * 1e9 / nanos;
        }
    }

    /**
     * Prepares the buffers.
     *
     * @param file an open file of at least one block, whose loop runs the reads
     * @param fileBytes its size
     * @param depth reads in flight
     */
    public RandomReads(AsyncFile file, long fileBytes, int depth) {
        if (fileBytes < BLOCK || depth < 1) {
            throw new IllegalArgumentException("need a file of at least " + BLOCK + " bytes and a depth >= 1");
        }
        this.file = file;
        this.blocks = fileBytes / BLOCK;
        this.buffers = new MemorySegment[depth];
        for (int i = 0; i < depth; i++) {
            buffers[i] = arena.allocate(BLOCK, BLOCK);
        }
    }

    /**
     * Reads for a while.
     *
     * @param nanos how long to keep starting reads
     * @return what got done
     * @throws RingIoException the first read that failed
     * @throws InterruptedException if interrupted
     */
    public Result run(long nanos) throws RingIoException, InterruptedException {
        Run run = new Run(nanos);
        file.loop().execute(run::start);
        try {
            run.done.get(nanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RingIoException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("reads still in flight 30 s after the end of the run");
        }
        return new Result(run.reads, run.end - run.start, run.shortReads);
    }

    /** One timed run; all its fields are touched on the loop thread only, then read after {@code done}. */
    private final class Run implements IoHandler<MemorySegment> {
        private final long nanos;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private long start;
        private long deadline;
        private long end;
        private int inFlight;
        private long reads;
        private long shortReads;
        private RingIoException failure;

        Run(long nanos) {
            this.nanos = nanos;
        }

        void start() {
            start = System.nanoTime();
            deadline = start + nanos;
            inFlight = buffers.length;
            for (MemorySegment b : buffers) {
                issue(b);
            }
        }

        private void issue(MemorySegment b) {
            file.read(b, nextOffset(), 0, TimeUnit.NANOSECONDS, b, this);
        }

        private long nextOffset() {
            long x = seed;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seed = x;
            return Long.remainderUnsigned(x, blocks) * BLOCK;
        }

        @Override
        public void completed(long result, MemorySegment b) {
            reads++;
            if (result != BLOCK) {
                shortReads++;
            }
            long now = System.nanoTime();
            if (now < deadline && failure == null) {
                issue(b);
            } else {
                finish(now);
            }
        }

        @Override
        public void failed(RingIoException error, MemorySegment b) {
            if (failure == null) {
                failure = error;
            }
            finish(System.nanoTime());
        }

        private void finish(long now) {
            if (--inFlight == 0) {
                end = now;
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(null);
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
