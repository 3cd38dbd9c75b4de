package io.ringloop;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one atomic word through which producers and the loop agree on whether a wake syscall is needed.
 *
 * <pre>
 *  bit 0      ARMED  the loop announced it is about to sleep (set and cleared only by the loop)
 *  bit 1      RUNG   a producer claimed this sleep's one wake syscall (set by producers, cleared by the loop)
 *  bit 2      TERMINATED  the loop ran its last drain: a publish that sees it was too late (set once, by the loop)
 *  bits 3..63 SEQ    how many tasks producers have published (incremented by producers)
 *
 *            publish: SEQ+1 (no syscall)                 publish: SEQ+1, claim RUNG, ring once
 *           +---------+                                  +--------+
 *           v         |        arm (CAS: +ARMED -RUNG)    v        |
 *     [ RUNNING: ARMED=0 ] ------------------------> [ ARMED: ARMED=1 RUNG=0 ] --claim--> [ RUNG: ARMED=1 RUNG=1 ]
 *           ^    ^                                         |                                   | publish: SEQ+1,
 *           |    +-- disarm (-ARMED -RUNG) after re-check  |                                   | no syscall
 *           |        saw SEQ move, or after waking --------+-----------------------------------+
 * </pre>
 *
 * <p><b>Why no task is stranded.</b> A producer enqueues its task, then publishes (a full-fence read-modify-write).
 * The loop reads SEQ (acquire), drains the queue until empty, and remembers that SEQ as caught up. To sleep it arms
 * (a read-modify-write) and compares the SEQ returned by that same atomic step with the caught-up one. Both steps are
 * read-modify-writes of one word, so they are totally ordered: either the publish came first, and the loop sees SEQ
 * moved and does not sleep, or the arm came first, and the publish returns ARMED, so the producer rings. There is
 * no third order, so "task queued, loop asleep, no bell" cannot happen.
 *
 * <p><b>Why at most one bell per arm.</b> Of all producers that see ARMED, only the one whose
 * {@code getAndBitwiseOr(RUNG)} returns ARMED without RUNG rings; the others see RUNG and skip. The loop clears RUNG
 * whenever it arms, so the next sleep gets its own bell. A producer that saw ARMED but claims after the loop
 * disarmed gets ARMED=0 back and skips: the loop is awake and its disarm, a read-modify-write after that publish,
 * made the task visible. If the loop re-armed in between, the producer rings once more: a spurious wake, never a lost
 * one. So claims are at most one per arm; writes can exceed that only by a claimer stalled across a re-arm (the
 * model's STRICT_WRITES finding), at most one extra write per stalled producer.
 *
 * <p>The word lives in native memory on its own 128-byte block (a cache line and its adjacent-line prefetch
 * partner) so that producers hammering it do not slow the loop's other fields, and so that the kernel can sleep on its
 * low 32 bits with {@code IORING_OP_FUTEX_WAIT} (any publish or claim changes them). The memory is owned by an
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
     * Producer: counts one published task. Call after the task is in the queue: the read-modify-write orders the
     * enqueue before it for whoever reads the word later.
     *
     * @return the word before the increment; {@link #shouldRing(long)} tells whether to try to claim the bell
     */
    long publish() {
        return (long) WORD.getAndAdd(segment, 0L, SEQ_ONE);
    }

    /**
     * Whether a publish saw the loop armed and no bell claimed yet.
     *
     * @param before what {@link #publish()} returned
     * @return true if the producer should try {@link #claimRing()}
     */
    static boolean shouldRing(long before) {
        return (before & (ARMED | RUNG | TERMINATED)) == ARMED;
    }

    /**
     * Whether a publish came after the loop's final drain.
     *
     * @param before what {@link #publish()} returned
     * @return true if the published task will never run: the producer must report it rejected
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
     * Loop: announces it is running again. A read-modify-write, so every task published before it is visible to
     * the drain that follows.
     *
     * @return the word before disarming (its RUNG bit tells whether a producer rang for this sleep)
     */
    long disarm() {
        return (long) WORD.getAndBitwiseAnd(segment, 0L, ~(ARMED | RUNG));
    }

    /**
     * Loop: marks the loop terminated if no task was published since the caught-up sequence. A publish ordered
     * after this read-modify-write returns TERMINATED and its producer rejects the task; one ordered before it makes
     * the CAS fail, and the loop drains again. The caller must also know that every task it ran was published
     * (see {@code LoopAgent.finishIfQuiet}); otherwise a task could run and then be reported rejected.
     *
     * @param caughtUp the sequence of the last drain that emptied the queue
     * @return true if terminated
     */
    boolean terminate(long caughtUp) {
        long v = (long) WORD.getVolatile(segment, 0L);
        return sequence(v) == caughtUp && (v & ARMED) == 0 && WORD.compareAndSet(segment, 0L, v, v | TERMINATED);
    }

    /** Loop, dying: marks the loop terminated whatever was published, so that later producers reject. */
    void terminateNow() {
        WORD.getAndBitwiseOr(segment, 0L, TERMINATED);
    }

    /**
     * Loop: the word, with acquire order (every task counted in it is visible to a drain that follows).
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
     * @return how many publishes it counts
     */
    static long sequence(long word) {
        return word >>> SEQ_SHIFT;
    }

    /**
     * The word's native address, for {@code IORING_OP_FUTEX_WAIT} and {@code futex_wake}: the futex is its low
     * 32 bits (little-endian), which every publish, claim, arm and disarm changes.
     *
     * @return the address
     */
    long address() {
        return segment.address();
    }
}
