package io.ringloop.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A thread's scheduler state letter from {@code /proc/self/task/<tid>/stat} (as in the showdown) and its CPU time from
 * {@code schedstat}: the files stay open and are re-read at offset 0, a few microseconds per look.
 */
final class ThreadState implements AutoCloseable {
    private final FileChannel stat;
    private final FileChannel schedstat;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);

    ThreadState(int tid) {
        try {
            this.stat = FileChannel.open(Path.of("/proc/self/task/" + tid + "/stat"));
            this.schedstat = FileChannel.open(Path.of("/proc/self/task/" + tid + "/schedstat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Nanoseconds the thread has spent on a CPU (user and kernel), the first field of {@code schedstat}.
     *
     * @return the time
     */
    long cpuNanos() {
        buffer.clear();
        int n;
        try {
            n = schedstat.read(buffer, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
     * The state now: 'R' running, 'S' sleeping interruptibly (blocked in a wait), ...
     *
     * @return the letter, or '?' if the file could not be parsed
     */
    char state() {
        buffer.clear();
        int n;
        try {
            n = stat.read(buffer, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the command name in parentheses may itself contain ')' or spaces: the state follows the last ')'
        for (int i = n - 1; i >= 0; i--) {
            if (buffer.get(i) == ')') {
                return i + 2 < n ? (char) buffer.get(i + 2) : '?';
            }
        }
        return '?';
    }

    @Override
    public void close() {
        try {
            stat.close();
            schedstat.close();
        } catch (IOException ignored) {
            // procfs files: nothing is lost
        }
    }
}
