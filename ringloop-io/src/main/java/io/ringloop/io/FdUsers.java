package io.ringloop.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The callers using a channel's fd on their own threads, outside the loop: the non-blocking system calls of
 * {@link AsyncSocket#readNow}, {@link AsyncSocket#writeNow} and {@link AsyncFile#readNow}. The fd must not be closed
 * while one of them runs: its number could be handed to a file opened meanwhile, and the call would read from or
 * write to that file instead.
 *
 * <p>One int: bit 31 is CLOSED, bits 0-30 count the callers inside.
 * <pre>
 *   OPEN(n)      --enter--&gt;  OPEN(n+1)     --exit--&gt;  OPEN(n)
 *   OPEN(n)      --close--&gt;  CLOSED(n)     (every later enter is refused)
 *   CLOSED(n)    --exit---&gt;  CLOSED(n-1)   the exit that reaches CLOSED(0) is the last one out
 * </pre>
 * The fd is released when the channel's close has begun, the kernel has answered every ring operation, and the
 * count is zero: by the loop if nobody is inside then, otherwise by the last one out.
 *
 * <p>Why no caller can slip past a close: enter and close are read-modify-writes of the same variable, so they are
 * totally ordered. An enter ordered before the close is counted, and the close sees it; one ordered after sees
 * CLOSED and refuses. The fd is therefore closed only after every counted caller's exit, and the volatile
 * decrement of that exit orders the caller's system call before the close.
 */
final class FdUsers {
    private static final int CLOSED = 1 << 31;

    private final AtomicInteger state = new AtomicInteger();

    /**
     * Lets a caller in, unless the channel is closing.
     *
     * @return true if the caller may use the fd until its {@link #exit()}
     */
    boolean enter() {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                return false;   // CLOSED is the sign bit
            }
            // Volatile CAS: ordered with close()'s update (see the class comment).
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /**
     * A caller is done with the fd.
     *
     * @return true if it was the last one out of a closing channel: the fd may be released now
     */
    boolean exit() {
        // Volatile decrement: the caller's system call happens-before whoever then sees the count at zero.
        return state.decrementAndGet() == CLOSED;
    }

    /**
     * Refuses every later caller.
     *
     * @return true if nobody is inside
     */
    boolean close() {
        return (state.getAndUpdate(s -> s | CLOSED) & ~CLOSED) == 0;
    }

    /** Whether no caller is inside (a volatile read). */
    boolean idle() {
        return (state.get() & ~CLOSED) == 0;
    }
}
