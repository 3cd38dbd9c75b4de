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
 * CQ with {@code io_uring_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1)} (6.13). One syscall, no eventfd
 * write, and nothing the kernel can end: a message is not an armed request.
 *
 * <p>The message is an ordinary CQE with a reserved {@code user_data}; into a {@code DEFER_TASKRUN} ring it is task
 * work on the loop thread, which wakes the loop's {@code io_uring_enter(GETEVENTS, 1)}. Under CQ pressure it goes to
 * the overflow list like any CQE and reaches the loop when the overflow is flushed. The SQE is built once and only
 * read afterwards (the kernel copies it), so every producer thread can pass the same memory.
 *
 * <p>The kernel can still refuse a message (ENOMEM, EOVERFLOW, EBUSY): the producer that won this sleep's bell is the
 * only one that will ring, so a refused message would leave the loop asleep until its park timeout. Behind the
 * messages therefore sits the {@link Doorbell#EVENTFD_READ} mechanism as a backup: a one-shot eventfd read, queued
 * at the loop's first sleep and pending from then on at no cost, and a producer whose message is refused writes the
 * eventfd instead ({@link LoopCounter#DOORBELL_FALLBACKS}).
 */
final class SendMsgRingDoorbell extends EventfdReadDoorbell {
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
        // The message's CQE: apart from the backup read's, which uses USER_DATA.
        sqe.set(JAVA_LONG, Sqe.OFF, USER_DATA_ALT);
        sqe.set(JAVA_INT, Sqe.LEN, 1);
    }

    @Override
    void doRing() {
        long r;
        do {
            r = sys.ioUringRegister(-1, RegisterOp.REGISTER_SEND_MSG_RING, sqe.address(), 1);
        } while (r == -Errno.EINTR);
        if (r < 0) {
            fellBack();
            writeEventfd();
        }
    }

    @Override
    void onCompletion(long userData, int res, int flags) {
        if (userData == USER_DATA_ALT) {
            receivedByLoop++;
            received = receivedByLoop;
        } else {
            // The backup read: a producer fell back to the eventfd; it is queued again before the next sleep.
            super.onCompletion(userData, res, flags);
        }
    }

    /** Messages the loop has received. */
    long received() {
        return received;
    }
}
