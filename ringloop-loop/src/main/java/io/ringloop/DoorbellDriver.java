package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SyscallLayer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One doorbell mechanism: how a producer's wake reaches the loop's ring, and what the loop must keep armed.
 *
 * <p>Producers call {@link #ring()} only after winning the wake word's claim, so it runs at most once per sleep.
 * Every other method runs on the loop thread. {@link #close()} guarantees that no ring touches the doorbell's fd or
 * memory after it returns: a ringer announces itself in {@code ringers} before it reads {@code closed}, and the loop
 * sets {@code closed} before it reads {@code ringers}; both are sequentially consistent, so either the ringer sees
 * closed and skips, or the loop sees the ringer and waits for it to finish. A wake skipped that way is not lost: it
 * was for a loop that is terminating.
 *
 * <p>The same guard covers {@link Doorbell#MSG_RING}: a producer that is itself a loop names this loop's ring fd in
 * an SQE on its own ring, and holds the guard until the kernel has consumed that SQE (or it was revoked), so the fd
 * is still this ring when the kernel looks it up; from then on the kernel holds its own reference to the ring.
 */
abstract class DoorbellDriver {
    /** {@code user_data} values reserved for doorbell SQEs, far above any I/O slot index. */
    static final long USER_DATA = 0xFFFF_FFFF_FFFF_FE00L;
    static final long USER_DATA_ALT = USER_DATA + 1;
    static final long USER_DATA_CANCEL = USER_DATA + 2;
    /** The CQE another loop posts into this loop's CQ with MSG_RING ({@link Doorbell#MSG_RING}): a wake only. */
    static final long USER_DATA_LOOP_WAKE = USER_DATA + 3;

    protected final SyscallLayer sys;
    /** The loop's counters: a doorbell counts its re-arms and drains there, on the loop thread. */
    protected final LoopCounters counters;
    private final AtomicInteger ringers = new AtomicInteger();
    private final AtomicLong rung = new AtomicLong();
    private final AtomicLong msgRingWakes = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile boolean closed;
    /**
     * This loop's ring fd, registry id and whether other loops may wake it with MSG_RING: written by the loop thread
     * in {@link #attach} before the loop is handed out (open() joins its start), read by producers afterwards.
     */
    int ringFd = -1;
    private int loopId;
    private boolean acceptsMsgRing;
    /** Where the loop's current sleep is (attached with the rest); null until attached. */
    private WordSleep wordSleep;

    DoorbellDriver(SyscallLayer sys, LoopCounters counters) {
        this.sys = sys;
        this.counters = counters;
    }

    static boolean owns(long userData) {
        return userData >= USER_DATA && userData <= USER_DATA_LOOP_WAKE;
    }

    /**
     * Loop, once its ring is open: what another loop needs to wake this one with MSG_RING.
     *
     * @param fd this loop's ring fd
     * @param id this loop's {@link LoopRegistry} id, carried back by a failed message
     * @param msgRing whether other loops may wake this one with MSG_RING at all
     * @param sleep the loop's sleep on its wake word, which a bell must wake instead of the doorbell when chosen
     */
    final void attach(int fd, int id, boolean msgRing, WordSleep sleep) {
        this.ringFd = fd;
        this.loopId = id;
        this.acceptsMsgRing = msgRing;
        this.wordSleep = sleep;
    }

    /**
     * Wakes a sleep on the wake word, if that is where the loop chose to sleep (see {@link WordSleep}).
     *
     * @return false if the sleep is in the ring: the doorbell must ring
     */
    private boolean wokeWordSleep() {
        WordSleep sleep = wordSleep;
        if (sleep != null && sleep.chosen()) {
            sleep.wake();
            return true;
        }
        return false;
    }

    /** The loop's thread name, for events and messages; off the hot path. */
    final String loopName() {
        EventLoop loop = LoopRegistry.get(loopId);
        return loop == null ? "loop " + loopId : loop.options().threadName();
    }

    /** Which mechanism this is. */
    abstract Doorbell kind();

    /** Producer, after winning the claim: wakes the loop. */
    final void ring() {
        ringers.incrementAndGet();
        try {
            if (!closed) {
                rung.incrementAndGet();
                if (!wokeWordSleep()) {
                    doRing();
                }
            }
        } finally {
            ringers.decrementAndGet();
        }
    }

    /**
     * Producer that is another loop's thread, after winning the claim: wakes this loop with a MSG_RING from the
     * sender's own ring ({@link Doorbell#MSG_RING}), or through this doorbell when the sender cannot send one.
     *
     * @param sender the agent of the calling loop thread
     */
    final void ringFromLoop(LoopAgent sender) {
        // The same guard as ring(): from the increment until the decrement, close() cannot pass its wait, so the
        // ring fd named in the sender's SQE stays this ring until sendWake has seen the kernel consume the SQE.
        ringers.incrementAndGet();
        try {
            if (!closed) {
                // Counters only (read by stats()); the guard above is what orders this against close().
                rung.incrementAndGet();
                if (wokeWordSleep()) {
                    return;
                }
                if (acceptsMsgRing && sender.msgRing().sendWake(ringFd, loopId)) {
                    msgRingWakes.incrementAndGet();
                } else {
                    doRing();
                }
            }
        } finally {
            ringers.decrementAndGet();
        }
    }

    /** The wake syscall itself. */
    abstract void doRing();

    /** Wakes sent to this loop as MSG_RING by other loops. */
    final long msgRingWakes() {
        return msgRingWakes.get();
    }

    /** Producer: the doorbell's own mechanism refused a wake, which went through its backup instead. */
    final void fellBack() {
        fallbacks.incrementAndGet();
    }

    /** Wakes that went through the backup. */
    final long fallbacks() {
        return fallbacks.get();
    }

    /** Wake syscalls made. */
    final long rung() {
        return rung.get();
    }

    /**
     * Loop, once the ring is open: arm what must be armed.
     *
     * @param ring the loop's ring
     * @param word the wake word
     */
    abstract void install(Ring ring, WakeWord word);

    /**
     * Loop, before arming the wake word: make sure a ring will reach the kernel.
     *
     * @param ring the loop's ring
     * @return false if something that must be armed could not be queued (the SQ is full and will not drain):
     *     the loop must then sleep only briefly
     */
    abstract boolean beforePark(Ring ring);

    /**
     * Loop, after arming and re-checking: the last step before the sleeping {@code io_uring_enter}.
     *
     * @param ring the loop's ring
     * @param armedWord the wake word's value after arming
     * @return false if the sleep could not be prepared, as for {@link #beforePark}
     */
    boolean armed(Ring ring, long armedWord) {
        return true;
    }

    /**
     * Loop: a CQE with one of the doorbell's {@code user_data} values.
     *
     * @param userData which SQE
     * @param res its result
     * @param flags its flags
     */
    abstract void onCompletion(long userData, int res, int flags);

    /**
     * Loop, after the CQ has been drained: re-arm whatever the kernel ended.
     *
     * @param ring the loop's ring
     * @return false if a re-arm is still owed (the loop must not sleep without a timeout)
     */
    boolean afterReap(Ring ring) {
        return true;
    }

    /** Loop, at termination: no ring reaches the doorbell's resources after this returns. */
    final void close() {
        closed = true;
        while (ringers.get() != 0) {
            Thread.onSpinWait();
        }
        release();
    }

    /** Frees the doorbell's fd; runs after every ringer has left. */
    abstract void release();

    /**
     * Queues an SQE through a full SQ: submits and retries, because a doorbell SQE that is skipped leaves the loop
     * deaf: nothing would wake it but its park timeout.
     *
     * @param ring the ring
     * @param prep tries to prepare the SQE, false when the SQ is full
     * @return false only if the kernel refuses to take SQEs (then the caller owes the SQE and retries later)
     */
    static boolean queueThroughFullSq(Ring ring, BooleanSupplier prep) {
        for (int attempt = 0; attempt < 64; attempt++) {
            if (prep.getAsBoolean()) {
                return true;
            }
            int r = ring.submit();
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN
                    && r != -Errno.EBUSY) {
                return false;
            }
            if (r <= 0) {
                ring.getEvents();
            }
        }
        return false;
    }
}
