package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.binding.Syscalls;
import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The part the eventfd doorbells share: the fd, the producer's write and the close-time drain.
 */
abstract class EventfdDoorbell extends DoorbellDriver {
    /** The 8-byte value producers write; read-only once built, so every producer thread can share it. */
    private final MemorySegment one;
    /** The loop's read buffer (drains and one-shot reads); the loop thread alone writes it. */
    protected final MemorySegment readBuffer;
    protected final int fd;

    private final boolean nonBlocking;

    EventfdDoorbell(SyscallLayer sys, LoopCounters counters, boolean nonBlocking) {
        super(sys, counters);
        Arena arena = Arena.ofAuto();
        this.one = arena.allocateFrom(JAVA_LONG, 1L);
        this.readBuffer = arena.allocate(JAVA_LONG);
        int flags = Syscalls.EFD_CLOEXEC | (nonBlocking ? Syscalls.EFD_NONBLOCK : 0);
        int r = Syscalls.eventfd(0, flags);
        if (r < 0) {
            throw new NativeCallException("eventfd", r);
        }
        this.fd = r;
        this.nonBlocking = nonBlocking;
    }

    @Override
    void doRing() {
        writeEventfd();
    }

    /** Adds one to the eventfd's counter: the wake. */
    final void writeEventfd() {
        while (true) {
            long r = sys.write(fd, one.address(), Long.BYTES);
            // EAGAIN: the counter is saturated, so the fd is readable already: the wake is pending.
            if (r >= 0 || r != -Errno.EINTR) {
                return;
            }
        }
    }

    /** Loop: resets the counter so that a level-triggered re-arm does not fire on stale readiness. */
    final void drain() {
        if (!nonBlocking) {
            return;
        }
        long r;
        do {
            r = sys.read(fd, readBuffer.address(), Long.BYTES);
        } while (r == -Errno.EINTR);
    }

    @Override
    final void release() {
        drain();
        Syscalls.close(fd);
    }
}
