package io.ringloop.bench.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a thread's scheduler state letter from {@code /proc/self/task/<tid>/stat}.
 *
 * <p>The file stays open and is re-read at offset 0: procfs regenerates it on every read from the start, and one
 * {@code pread} costs a few microseconds instead of an open, read and close.
 */
public final class ThreadState implements AutoCloseable {
    private final FileChannel stat;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);

    /**
     * Opens the thread's stat file.
     *
     * @param tid a thread of this process
     */
    public ThreadState(int tid) {
        try {
            this.stat = FileChannel.open(Path.of("/proc/self/task/" + tid + "/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The state now: 'R' running, 'S' sleeping interruptibly (blocked in a wait), 'D', 'T', ...
     *
     * @return the letter, or '?' if the file could not be parsed
     */
    public char state() {
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

    @Override
    public void close() {
        try {
            stat.close();
        } catch (IOException ignored) {
            // a procfs file: nothing is lost
        }
    }
}
