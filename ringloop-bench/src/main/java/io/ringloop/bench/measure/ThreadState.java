package io.ringloop.bench.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a thread's scheduler state letter from {@code /proc/self/task/<tid>/stat} and its CPU time from
 * {@code schedstat}.
 *
 * <p>The files stay open and are re-read at offset 0: procfs regenerates them on every read from the start, and one
 * {@code pread} costs a few microseconds instead of an open, read and close.
 */
public final class ThreadState implements AutoCloseable {
    private final FileChannel stat;
    private final FileChannel schedstat;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);

    /**
     * Opens the thread's stat and schedstat files.
     *
     * @param tid a thread of this process
     */
    public ThreadState(int tid) {
        Path task = Path.of("/proc/self/task/" + tid);
        try {
            this.stat = FileChannel.open(task.resolve("stat"));
            try {
                this.schedstat = FileChannel.open(task.resolve("schedstat"));
            } catch (IOException e) {
                closeQuietly(stat);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Nanoseconds the thread has spent on a CPU (user and kernel), the first field of {@code schedstat}: on a shared
     * machine wall time counts the time a thread waited for a CPU, this does not.
     *
     * @return the time
     */
    public long cpuNanos() {
        int n = read(schedstat);
        long v = 0;
        for (int i = 0; i < n; i++) {
            byte b = buffer.get(i);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    /**
     * The state now: 'R' running, 'S' sleeping interruptibly (blocked in a wait), 'D', 'T', ...
     *
     * @return the letter, or '?' if the file could not be parsed
     */
    public char state() {
        int n = read(stat);
        // the command name in parentheses may itself contain ')' or spaces: the state follows the last ')'
        for (int i = n - 1; i >= 0; i--) {
            if (buffer.get(i) == ')') {
                return i + 2 < n ? (char) buffer.get(i + 2) : '?';
            }
        }
        return '?';
    }

    /**
     * Polls until the thread is in state 'S', or the time is up.
     *
     * @param timeoutNanos how long to poll
     * @return true if it was seen asleep
     */
    public boolean awaitSleeping(long timeoutNanos) {
        long start = System.nanoTime();
        do {
            if (state() == 'S') {
                return true;
            }
        } while (System.nanoTime() - start < timeoutNanos);
        return false;
    }

    private int read(FileChannel file) {
        buffer.clear();
        try {
            return file.read(buffer, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closeQuietly(stat);
        closeQuietly(schedstat);
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // a procfs file: nothing is lost
        }
    }
}
