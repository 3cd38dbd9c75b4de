package io.ringloop;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one atomic word through which producers and the loop agree on whether a wake syscall is needed. Its sequence
 * is the task queue's producer index: claiming a slot and publishing the task are one atomic add ({@link TaskQueue}).
 *
 * <pre>
 *  bit 0      ARMED  the loop announced it is about to sleep (set and cleared only by the loop)
 *  bit 1      RUNG   a producer claimed this sleep's one wake syscall (set by producers, cleared by the loop)
 *  bit 2      TERMINATED  the loop ran its last drain: an offer that sees it was too late (set once, by the loop)
 *  bits 3..63 SEQ    how many queue slots producers have claimed (incremented by producers)
 *
 *            offer: SEQ+1 (no syscall)                   offer: SEQ+1, claim RUNG, ring once
 *           +---------+                                  +--------+
 *           v         |        arm (CAS: +ARMED -RUNG)    v        |
 *     [ RUNNING: ARMED=0 ] ------------------------> [ ARMED: ARMED=1 RUNG=0 ] --claim--> [ RUNG: ARMED=1 RUNG=1 ]
 *           ^    ^                                         |                                   | offer: SEQ+1,
 *           |    +-- disarm (-ARMED -RUNG) after re-check  |                                   | no syscall
 *           |        saw SEQ move, or after waking --------+-----------------------------------+
 * </pre>
 *
 * <p><b>Why no task is stranded.</b> A producer offers: it claims a slot (a full-fence read-modify-write that returns
 * the bits), then stores its task there. The loop takes slots in order, waiting for a claimed slot not stored yet,
 * and counts the slots it took: it is caught up when that count equals SEQ. To sleep it arms (a read-modify-write)
 * and compares the SEQ returned by that same atomic step with the slots it took. Both steps are read-modify-writes
 * of one word, so they are totally ordered: either the offer came first, and the loop sees SEQ ahead of what it
 * took and does not sleep, or the arm came first, and the offer returns ARMED, so the producer rings. There is no
 * third order, so "task queued, loop asleep, no bell" cannot happen. A producer whose offer saw the loop awake does
 * no second atomic: that is the busy path's whole cost.
 *
 * <p><b>Why at most one bell per arm.</b> Of all producers that see ARMED, only the one whose
 * {@code getAndBitwiseOr(RUNG)} returns ARMED without RUNG rings; the others see RUNG and skip. The loop clears RUNG
 * whenever it arms, so the next sleep gets its own bell. A producer that saw ARMED but claims after the loop
 * disarmed gets ARMED=0 back and skips: the loop is awake, and the offer's slot is ahead of what the loop took. If
 * the loop re-armed in between, the producer rings once more: a spurious wake, never a lost one. So claims are at
 * most one per arm; writes can exceed that only by a claimer stalled across a re-arm (the model's STRICT_WRITES
 * finding), at most one extra write per stalled producer.
 *
 * <p>The word lives in native memory on its own 128-byte block (a cache line and its adjacent-line prefetch
 * partner) so that producers hammering it do not slow the loop's other fields, and so that the kernel can sleep on its
 * low 32 bits with {@code IORING_OP_FUTEX_WAIT} (any offer or claim changes them). The memory is owned by an
 * automatic arena: it lives as long as anything can still reach this object, so a late producer can never touch freed
 * memory.
 */
final class WakeWord {
    static final long ARMED = 1L;
    static final long RUNG = 2L;
    static final long TERMINATED = 4L;
    static final long SEQ_ONE = 8L;
    static final int SEQ_SHIFT = 3;

    private static final VarHandle WORD = JAVA_LONG.varHandle();
    private static final long BLOCK = 128;

    private final MemorySegment segment;

    WakeWord() {
        this.segment = Arena.ofAuto().allocate(BLOCK, BLOCK);
    }

    /**
     * Producer: claims the next queue slot, whose number is {@link #sequence(long)} of the value returned. The task is
     * stored after this; the loop waits for a claimed slot, so the order cannot strand it.
     *
     * @return the word before the increment; {@link #shouldRing(long)} tells whether to try to claim the bell
     */
    long claim() {
        return (long) WORD.getAndAdd(segment, 0L, SEQ_ONE);
    }

    /**
     * Producer of a bounded queue: claims the next slot only if the word still holds {@code expected}.
     *
     * @param expected the value read (or last witnessed)
     * @return the word before the attempt: {@code expected} if the slot is claimed, else the value that was there
     */
    long claimIf(long expected) {
        return (long) WORD.compareAndExchange(segment, 0L, expected, expected + SEQ_ONE);
    }

    /**
     * Whether an offer saw the loop armed and no bell claimed yet.
     *
     * @param before what {@link #claim()} returned
     * @return true if the producer should try {@link #claimRing()}
     */
    static boolean shouldRing(long before) {
        return (before & (ARMED | RUNG | TERMINATED)) == ARMED;
    }

    /**
     * Whether an offer came after the loop's final drain.
     *
     * @param before what {@link #claim()} returned
     * @return true if the offered task will never run: the producer must report it rejected
     */
    static boolean terminated(long before) {
        return (before & TERMINATED) != 0;
    }

    /**
     * Producer: claims the one wake syscall of this sleep.
     *
     * @return true if this producer must ring: the loop is still armed and nobody claimed the bell before
     */
    boolean claimRing() {
        long before = (long) WORD.getAndBitwiseOr(segment, 0L, RUNG);
        return (before & (ARMED | RUNG)) == ARMED;
    }

    /**
     * Loop: announces it is about to sleep, clearing any stale claim from an earlier cycle.
     *
     * @return the word after arming; compare {@link #sequence(long)} of it with the caught-up sequence
     */
    long arm() {
        long v;
        long armed;
        do {
            v = (long) WORD.getVolatile(segment, 0L);
            armed = (v | ARMED) & ~RUNG;
        } while (!WORD.compareAndSet(segment, 0L, v, armed));
        return armed;
    }

    /**
     * Loop: announces it is running again.
     *
     * @return the word before disarming (its RUNG bit tells whether a producer rang for this sleep)
     */
    long disarm() {
        return (long) WORD.getAndBitwiseAnd(segment, 0L, ~(ARMED | RUNG));
    }

    /**
     * Loop: marks the loop terminated if no slot was claimed beyond those it took. An offer ordered after this
     * read-modify-write returns TERMINATED and its producer rejects the task (it never stores it); one ordered before
     * it makes the CAS fail, and the loop drains again. A task runs only after its claim, so none can run and then be
     * rejected. The check and the set must be this one CAS: an offer between two steps would be accepted and lost
     * (the model's TERMINATE_SPLIT).
     *
     * @param caughtUp the slots the loop took
     * @return true if terminated
     */
    boolean terminate(long caughtUp) {
        long v = (long) WORD.getVolatile(segment, 0L);
        return sequence(v) == caughtUp && (v & ARMED) == 0 && WORD.compareAndSet(segment, 0L, v, v | TERMINATED);
    }

    /**
     * Loop, dying: marks the loop terminated whatever was claimed, so that later producers reject.
     *
     * @return the word before: every slot below its sequence was claimed in time, and will be stored
     */
    long terminateNow() {
        return (long) WORD.getAndBitwiseOr(segment, 0L, TERMINATED);
    }

    /**
     * The word, with acquire order: every slot below its sequence was claimed, and its task will be stored.
     *
     * @return the word
     */
    long get() {
        return (long) WORD.getAcquire(segment, 0L);
    }

    /**
     * The sequence part of a word value.
     *
     * @param word a value of the word
     * @return how many slots it counts as claimed
     */
    static long sequence(long word) {
        return word >>> SEQ_SHIFT;
    }

    /**
     * The word's native address, for {@code IORING_OP_FUTEX_WAIT} and {@code futex_wake}: the futex is its low
     * 32 bits (little-endian), which every offer, bell claim, arm and disarm changes.
     *
     * @return the address
     */
    long address() {
        return segment.address();
    }
}
