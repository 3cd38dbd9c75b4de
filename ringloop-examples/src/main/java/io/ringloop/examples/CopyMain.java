package io.ringloop.examples;

import io.ringloop.EventLoop;
import io.ringloop.io.AsyncFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a file with async reads and writes on one loop: a window of chunks in flight, each read then written at its
 * own position, then one fsync.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, description = "copy SRC to DST with io_uring reads and writes")
final class CopyMain implements Callable<Integer> {
    @Parameters(index = "0", description = "source file")
    Path src;

    @Parameters(index = "1", description = "destination file (created or truncated)")
    Path dst;

    @Option(names = "--chunk", defaultValue = "1048576", description = "bytes per read, default ${DEFAULT-VALUE}")
    int chunk;

    @Option(names = "--window", defaultValue = "8", description = "chunks in flight, default ${DEFAULT-VALUE}")
    int window;

    static long copy(EventLoop loop, Path src, Path dst, int chunk, int window) throws Exception {
        if (chunk < 1 || window < 1) {
            throw new IllegalArgumentException("--chunk and --window must be >= 1");
        }
        try (AsyncFile in = AsyncFile.open(loop, src);
                AsyncFile out = AsyncFile.open(loop, dst, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                Arena arena = Arena.ofShared()) {
            long size = in.size();
            ArrayDeque<MemorySegment> free = new ArrayDeque<>();
            ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
            ArrayDeque<MemorySegment> used = new ArrayDeque<>();
            for (int i = 0; i < window; i++) {
                free.add(arena.allocate(chunk, 4096));
            }
            long pos = 0;
            long copied = 0;
            while (pos < size || !inFlight.isEmpty()) {
                if (pos < size && !free.isEmpty()) {
                    MemorySegment b = free.poll();
                    long at = pos;
                    pos += chunk;
                    inFlight.add(in.read(b, at).thenCompose(n -> n == 0
                            ? CompletableFuture.completedFuture(0L) : out.writeAll(b.asSlice(0, n), at)));
                    used.add(b);
                } else {
                    copied += inFlight.poll().join();
                    free.add(used.poll());
                }
            }
            out.fsync().join();
            return copied;
        }
    }

    @Override
    public Integer call() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            long t0 = System.nanoTime();
            long n = copy(loop, src, dst, chunk, window);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("copied %d bytes from %s to %s in %.3f s (%.1f MB/s)%n", n, src, dst, secs,
                    n / 1e6 / Math.max(secs, 1e-9));
        }
        return 0;
    }
}
