package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.Opcode;
import io.ringloop.binding.RegisterOp;
import io.ringloop.binding.Ring;
import io.ringloop.binding.Sqe;
import io.ringloop.binding.SyscallLayer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link Doorbell#SEND_MSG_RING}: producers that own no ring post a MSG_RING DATA message straight into the loop's
 * CQ with {@code io_uring_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1)} (6.13). One syscall, no eventfd,
 * and nothing the kernel can end: there is no armed request at all, so nothing to re-arm.
 *
 * <p>The message is an ordinary CQE with a reserved {@code user_data}; into a {@code DEFER_TASKRUN} ring it is task
 * work on the loop thread, which wakes the loop's {@code io_uring_enter(GETEVENTS, 1)}. Under CQ pressure it goes to
 * the overflow list like any CQE and reaches the loop when the overflow is flushed. The SQE is built once and only
 * read afterwards (the kernel copies it), so every producer thread can pass the same memory.
 */
final class SendMsgRingDoorbell extends DoorbellDriver {
    private final MemorySegment sqe = Arena.ofAuto().allocate(Sqe.LAYOUT);
    private volatile long received;
    private long receivedByLoop;

    SendMsgRingDoorbell(SyscallLayer sys, LoopCounters counters) {
        super(sys, counters);
    }

    /**
     * Whether the kernel has ringless MSG_RING. Before 6.13 a ring fd of -1 fails {@code fget} with {@code EBADF};
     * from 6.13 the "blind" path takes it and rejects our deliberately wrong count with {@code EINVAL}. Nothing is
     * sent either way.
     *
     * @param sys the syscall layer
     * @return true if supported
     */
    static boolean supported(SyscallLayer sys) {
        long r = sys.ioUringRegister(-1, RegisterOp.REGISTER_SEND_MSG_RING, 0, 0);
        return r == -Errno.EINVAL;
    }

    @Override
    Doorbell kind() {
        return Doorbell.SEND_MSG_RING;
    }

    @Override
    void install(Ring ring, WakeWord word) {
        sqe.fill((byte) 0);
        sqe.set(JAVA_BYTE, Sqe.OPCODE, Opcode.MSG_RING);
        sqe.set(JAVA_INT, Sqe.FD, ring.fd());
        sqe.set(JAVA_LONG, Sqe.ADDR, 0L);
        sqe.set(JAVA_LONG, Sqe.OFF, USER_DATA);
        sqe.set(JAVA_INT, Sqe.LEN, 1);
    }

    @Override
    void doRing() {
        long r;
        do {
            r = sys.ioUringRegister(-1, RegisterOp.REGISTER_SEND_MSG_RING, sqe.address(), 1);
        } while (r == -Errno.EINTR);
    }

    @Override
    boolean beforePark(Ring ring) {
        return true;
    }

    @Override
    void onCompletion(long userData, int res, int flags) {
        receivedByLoop++;
        received = receivedByLoop;
    }

    /** Messages the loop has received. */
    long received() {
        return received;
    }

    @Override
    void release() {
        // No fd of its own: the target ring fd closes with the ring, after every ringer has left (see close()).
    }
}
