package io.ringloop.binding;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How a ring is named to {@code io_uring_enter}: by its fd, or by a slot in the owner thread's table of registered
 * ring fds ({@code IORING_REGISTER_RING_FDS}, 5.18, then {@code IORING_ENTER_REGISTERED_RING} on every entry).
 *
 * <p>Why bother: an entry by fd looks the fd up in the process's file table and holds a reference on the file for the
 * length of the call. A JVM has many threads, so that table is shared, and the reference is an atomic increment and
 * decrement on the file's count each time. An entry by slot finds the file in a table private to the calling thread,
 * whose reference was taken once, at registration: no lookup, no atomics.
 *
 * <p>The rules that shape this class:
 * <ul>
 * <li>The table belongs to the thread, not the process: only the thread that registered may enter by the slot. The
 *     owner thread registers (at open, or at enable for a ring set up disabled).</li>
 * <li>The registration holds the ring's file alive until it is unregistered or the thread exits; closing the fd alone
 *     does not free the ring. So {@link #unregister} runs at close, on the owner thread (a loop closes its own ring).
 *     A ring closed by another thread cannot reach that table: its slot, and the ring, live until the owner exits.</li>
 * <li>A thread has 16 slots. When they are taken ({@code EBUSY}), the kernel predates the operation
 *     ({@code EINVAL}), or the feature mask hides it ({@code RING_FDS}), the ring enters by fd: the same results,
 *     one lookup more per entry.</li>
 * </ul>
 *
 * <p>Owner thread only, like every register call.
 */
final class RingFdRegistration {
    private static final int NONE = -1;

    private final MemorySegment update;
    private int slot = NONE;
    private Thread owner;
    /** The kernel's answer when it refused, {@code 0} if it did not or was not asked. */
    private int refusal;

    RingFdRegistration(Arena arena) {
        this.update = arena.allocate(RsrcUpdate.LAYOUT);
    }

    /**
     * Registers the ring fd in the calling thread's table, unless hidden; a refusal leaves the ring entered by fd.
     *
     * @return whether the ring is now entered by slot
     */
    boolean register(Ring ring) {
        if (slot != NONE || ring.mask().hides(KernelFeature.REGISTER_RING_FDS)) {
            return slot != NONE;
        }
        update.set(JAVA_INT, RsrcUpdate.OFFSET, RsrcUpdate.ANY_SLOT);
        update.set(JAVA_LONG, RsrcUpdate.DATA, ring.fd());
        int r = ring.register(RegisterOp.REGISTER_RING_FDS, update, 1);
        if (r != 1) {
            refusal = r;
            return false;
        }
        slot = update.get(JAVA_INT, RsrcUpdate.OFFSET);
        owner = Thread.currentThread();
        return true;
    }

    /** Frees the slot if this thread owns it; see the class comment for a close from elsewhere. */
    void unregister(Ring ring) {
        if (slot == NONE || Thread.currentThread() != owner) {
            return;
        }
        update.set(JAVA_INT, RsrcUpdate.OFFSET, slot);
        update.set(JAVA_LONG, RsrcUpdate.DATA, 0L);
        // Nothing to do on failure: the slot goes with the thread, and the ring's fd is closed either way.
        ring.register(RegisterOp.UNREGISTER_RING_FDS, update, 1);
        slot = NONE;
        owner = null;
    }

    /** @return the thread that may enter by {@link #slot()}, or null when the ring is entered by fd */
    Thread owner() {
        return owner;
    }

    /** @return the slot in the owner's table, or {@code -1} when the ring is entered by fd */
    int slot() {
        return slot;
    }

    /** @return the kernel's {@code -errno} when it refused to register, else 0 */
    int refusal() {
        return refusal;
    }
}
