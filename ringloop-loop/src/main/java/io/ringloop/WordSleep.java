package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.KernelTimespec;
import io.ringloop.binding.SyscallLayer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The loop's sleep on its wake word itself, without the ring: {@code futex(2)} {@code FUTEX_WAIT} on the word's low
 * 32 bits, woken by {@code FUTEX_WAKE} from the producer that won the sleep's bell.
 *
 * <p><b>Why.</b> A sleep in {@code io_uring_enter} is woken in two hops: the doorbell's event (an eventfd write, a
 * futex wake) becomes task work on the ring, and that task work wakes the ring's waiter, which posts the doorbell's
 * CQE before it returns. A plain futex is one hop. Measured on 6.18 the parked round trip drops by about 1.5 µs, to
 * the C futex ping-pong's figure. The ring is needed only for what the kernel could complete; a loop with nothing in
 * flight (no I/O, nothing to submit, no completion or task work pending, no MSG_RING of its own unsettled) has
 * nothing to wait for there but the bell.
 *
 * <p><b>Which way the bell goes.</b> The loop chooses before each arm and publishes the choice here:
 *
 * <pre>
 *   loop:     where = WORD | RING  (volatile store)  --then-->  arm (read-modify-write on the word)
 *   producer: claim saw ARMED, won RUNG (read-modify-writes on the word)  --then-->  read where; wake that way
 * </pre>
 *
 * The winner's read-modify-write is ordered after the arm it saw, and the choice was stored before that arm, so the
 * winner reads this sleep's choice or a later one. A later one belongs to a sleep that began after this one ended
 * (the loop re-arms only after disarming, which clears RUNG), so ringing it is at worst a spurious wake of that later
 * sleep, whose own bell is claimed afresh; the sleep the winner was ringing for has already ended. No order leaves a
 * sleep without its bell.
 *
 * <p><b>Why the wait cannot miss the wake.</b> The futex waits only if the word's low 32 bits still hold the armed
 * value when the kernel looks, under the futex's lock. Every claim adds to SEQ and the winner sets RUNG, both in those
 * bits, before it wakes: either the kernel sees the change and the wait returns at once, or the waiter is queued
 * before the wake looks for it. The futex is private (keyed by address alone), so it is not the shared futex that a
 * pending {@code IORING_OP_FUTEX_WAIT} of {@link Doorbell#FUTEX_WAIT} sleeps on, and a wake meant for one can never
 * be swallowed by the other.
 */
final class WordSleep {
    private final SyscallLayer sys;
    /**
     * The word's address, not the word: a producer's wake needs no reachability of the memory, since a private
     * futex is keyed by address alone and {@code FUTEX_WAKE} never reads it; the loop's wait runs while the loop
     * holds the word.
     */
    private final long address;
    /** Loop thread only: the relative timeout of the wait. */
    private final MemorySegment timeout = Arena.ofAuto().allocate(KernelTimespec.LAYOUT);
    /** Written by the loop before each arm, read by the producer that won that sleep's bell (see the class doc). */
    private volatile boolean onWord;
    /** Loop thread only: false once the kernel refused the wait for good; every later sleep is then in the ring. */
    private boolean usable = true;

    WordSleep(SyscallLayer sys, WakeWord word) {
        this.sys = sys;
        this.address = word.address();
    }

    /**
     * Loop, before arming ({@link #chooseAndArm}): where the coming sleep will be. The volatile store is ordered
     * before the arm's read-modify-write, which every bell's winner reads after.
     *
     * @param word true for a sleep on the word, false for one in the ring
     */
    private void choose(boolean word) {
        // Stored only on a change: an unchanged value was stored before an earlier arm, so it is ordered before this
        // one too, and an idle loop's sleeps (all on the word) cost no volatile store each.
        if (onWord != word) {
            onWord = word;
        }
    }

    /**
     * Loop: publishes where the coming sleep will be, then arms the word. The order is the whole point: a bell's
     * winner reads the choice after its read-modify-write, which is ordered after this arm; published after the arm,
     * a winner could read the last sleep's "word", wake nobody, and leave a sleep in the ring without its bell.
     *
     * @param word the wake word
     * @param onWord true for a sleep on the word, false for one in the ring
     * @return the word as the arm left it ({@link WakeWord#arm()})
     */
    long chooseAndArm(WakeWord word, boolean onWord) {
        choose(onWord);
        return word.arm();
    }

    /** @return whether the current sleep is on the word: for the producer that won its bell */
    boolean chosen() {
        return onWord;
    }

    /**
     * Loop, armed and re-checked: sleeps until the word's low 32 bits differ from the armed value's, a wake, the
     * timeout or a signal.
     *
     * @param armedWord the word as the arm left it
     * @param timeoutNanos at most this long; {@link Long#MAX_VALUE} for no limit
     * @return 0 when woken or the word had moved, {@code -ETIMEDOUT}, {@code -EINTR}, or another {@code -errno}
     */
    int sleep(long armedWord, long timeoutNanos) {
        long ts = 0;
        if (timeoutNanos != Long.MAX_VALUE) {
            timeout.set(JAVA_LONG, KernelTimespec.TV_SEC, timeoutNanos / 1_000_000_000L);
            timeout.set(JAVA_LONG, KernelTimespec.TV_NSEC, timeoutNanos % 1_000_000_000L);
            ts = timeout.address();
        }
        int r = (int) sys.futexWaitPrivate(address, (int) armedWord, ts);
        // EAGAIN: a producer claimed or rang between the arm and the kernel's look; the loop is awake either way.
        if (r == -Errno.EAGAIN) {
            return 0;
        }
        if (r < 0 && r != -Errno.EINTR && r != -Errno.ETIMEDOUT) {
            // A refusal that would come again (a kernel or seccomp filter without futex(2), say): sleeping here would
            // turn every sleep into a spin. The ring still works; sleep there from now on.
            usable = false;
        }
        return r;
    }

    /** @return whether the kernel has taken the wait so far (loop thread) */
    boolean usable() {
        return usable;
    }

    /** Producer that won the bell of a sleep on the word: the wake syscall. */
    void wake() {
        sys.futexWakePrivate(address, 1);
    }
}
