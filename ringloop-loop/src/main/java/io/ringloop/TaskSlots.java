package io.ringloop;

import io.ringloop.TaskSlotsLayout.Chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Where queued tasks wait: one slot per claimed sequence number, in a chain of fixed-size chunks. Producers claim a
 * number elsewhere (the wake word's atomic add, see {@link TaskQueue}); here they only store into the slot it names,
 * and the loop takes slots in order.
 *
 * <pre>
 *   consumer chunk                                  producer hint
 *        v                                               v
 *   [ base 0: taken.. | next ] --> [ base 1024 | next ] --> [ base 2048: claimed, some stored | next = null ]
 * </pre>
 *
 * <p><b>Why a producer can always find its slot.</b> A claimed slot is not taken until its task is stored, so the
 * loop's chunk never passes a claimed slot: a producer whose number lies behind the hint walks from the consumer
 * chunk instead, and from there {@code next} links lead forward to any number. A missing chunk is appended by
 * whichever producer needs it first (a CAS on {@code next}; a loser uses the winner's chunk). Chunks are never
 * reused, so a stale hint or chunk reference is never wrong, only slow; a chunk the loop left is garbage once no
 * hint holds it.
 *
 * <p><b>What the loop writes that producers read.</b> Once per chunk it publishes the chunk it reads; once per
 * drain it clears the slots it took (references to run tasks must not outlive the drain). Nothing per task.
 *
 * <p>Producer hint and consumer fields sit on lines of their own (padding by inheritance, as in JCTools), so that
 * producers reading the hint do not collide with the loop's index.
 *
 * <p>Not final for one reason: a test overrides {@link #store} to fail between a claim and its store, the window
 * {@link TaskQueue} must survive. With no subclass loaded the JIT binds the call statically.
 */
class TaskSlots extends TaskSlotsLayout.ConsumerFields {
    /** Slots per chunk (a power of two). */
    static final int CHUNK = 1024;
    private static final int MASK = CHUNK - 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle NEXT;
    private static final VarHandle HINT;
    private static final VarHandle READING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(Chunk.class, "next", Chunk.class);
            HINT = l.findVarHandle(TaskSlotsLayout.HintField.class, "hint", Chunk.class);
            READING = l.findVarHandle(TaskSlotsLayout.ConsumerFields.class, "reading", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    TaskSlots() {
        Chunk first = new Chunk(0);
        this.hint = first;
        this.reading = first;
        this.current = first;
    }

    // ---------------------------------------------------------------- producers

    /**
     * Producer: stores a task into the slot of a number it claimed. Release: whoever reads the slot sees the task
     * fully built.
     *
     * @param index the claimed number (each is stored exactly once)
     * @param task the task
     */
    void store(long index, Runnable task) {
        Chunk c = (Chunk) HINT.getAcquire(this);
        Chunk start = c;
        if (index < c.base) {
            // Behind the hint: the loop's chunk cannot be past our unstored slot (see class comment).
            c = (Chunk) READING.getAcquire(this);
        }
        while (index >= c.base + CHUNK) {
            Chunk n = (Chunk) NEXT.getAcquire(c);
            c = n != null ? n : append(c);
        }
        SLOT.setRelease(c.slots, (int) (index & MASK), task);
        if (c.base > start.base) {
            // Racy on purpose: a hint set back by a slower producer costs a later one a walk, nothing else.
            HINT.setRelease(this, c);
        }
    }

    private static Chunk append(Chunk c) {
        Chunk n = new Chunk(c.base + CHUNK);
        // Volatile: the winner's chunk is published whole, and a loser reads it with acquire.
        Chunk witness = (Chunk) NEXT.compareAndExchange(c, null, n);
        return witness == null ? n : witness;
    }

    // ---------------------------------------------------------------- the loop

    /**
     * Loop: the task in the next slot, if stored; moves on to the next chunk when one ends (a chunk not linked yet
     * reads as "not stored").
     *
     * @return the task, or null if the next slot holds none yet
     */
    Runnable peekNext() {
        int off = (int) (taken & MASK);
        Chunk c = current;
        if (off == 0 && taken != c.base) {
            Chunk n = (Chunk) NEXT.getAcquire(c);
            if (n == null) {
                return null;
            }
            clearTaken(c);
            current = c = n;
            cleared = 0;
            READING.setRelease(this, n);
        }
        return (Runnable) SLOT.getAcquire(c.slots, off);
    }

    /** Loop: the slot {@link #peekNext()} returned a task from is taken. */
    void advance() {
        taken++;
    }

    /** @return how many slots the loop has taken, ever: the consumer index */
    long taken() {
        return taken;
    }

    /** Loop, after a drain: drops the references of the tasks taken from the current chunk since the last clear. */
    void clearTaken() {
        clearTaken(current);
    }

    private void clearTaken(Chunk c) {
        int end = taken - c.base >= CHUNK ? CHUNK : (int) (taken & MASK);
        if (end > cleared) {
            // Plain stores: these slots are taken; no producer writes them again, and no one reads them.
            Arrays.fill(c.slots, cleared, end, null);
            cleared = end;
        }
    }
}
