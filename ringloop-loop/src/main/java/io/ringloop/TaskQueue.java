package io.ringloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The loop's inbox: a multi-producer, single-consumer queue whose producer index is the {@link WakeWord}.
 *
 * <p><b>One atomic per task.</b> A producer claims a slot number with the word's atomic add, which returns the
 * loop's ARMED, RUNG and TERMINATED bits with it, then stores its task in the slot ({@link TaskSlots}). On a busy loop
 * that add is all the synchronization {@code execute()} does: the same atomic step publishes the task and reads
 * whether the loop sleeps. The loop takes slots in order; a slot that was claimed but is not stored yet ends the
 * drain (its producer is between two of its own instructions), is never skipped, and is taken by a later pass: the
 * loop cannot sleep meanwhile, because the word's sequence stays ahead of the slots it took. The loop is caught up
 * when the slots it took equal the word's sequence, and that is the number its arm-and-recheck compares (see
 * {@link WakeWord}).
 *
 * <p><b>Bounded.</b> A bounded queue claims with a compare-and-set instead, which adds only while the sequence is
 * less than the capacity ahead of the slots the loop reports taken: still one atomic, and the bound is exact. The
 * report is a store per task the loop takes, which producers read: the price of a bound, paid only by bounded queues.
 * {@link #offerEvenIfFull} claims with the add whatever the bound.
 *
 * <p><b>A producer that fails between claim and store</b> (a {@code StackOverflowError}, or no memory for a new
 * chunk) would leave the loop waiting for its slot for ever; it stores {@link #SKIPPED} there instead, which the loop
 * passes over, and rethrows: its task was not accepted. Not covered, and shared with every claim-then-store queue
 * (JCTools' and Agrona's included): a stack that overflows inside the claim's own call chain after its atomic (code
 * not yet compiled calls {@code reachabilityFence} after the segment access) or again during the skip. The producer
 * then never learns its slot, and the loop waits for it; a stack-overflow storm of thousands of execute() calls at
 * every depth hit it in one of two runs here.
 *
 * <p><b>Corked producers.</b> Eliding notifications is safe only if whoever waits for room is still woken. A corked
 * producer first enqueues itself in {@code corked}, then raises {@code corkedCount} (a full-fence read-modify-write),
 * then retries its claim, which reads the loop's reported index (a volatile load) to look for room. The loop reports
 * its index as it takes each task (a release store), and after a drain issues a full fence and reads
 * {@code corkedCount}. This is Dekker's
 * pattern: either the producer's retry sees the room, or the loop sees the count and unparks it; the wake bits play
 * no part, so no elided bell can strand a corked producer. {@code LockSupport.unpark} before {@code park} leaves a
 * permit, so the unpark is never lost either.
 */
final class TaskQueue {
    /** What a bounded claim returns when there is no room: no word value has every bit set. */
    static final long FULL = -1L;
    /** Stored in a slot whose producer failed after claiming it; the loop takes it and runs nothing. */
    static final Runnable SKIPPED = () -> { };
    private static final VarHandle REPORTED;

    static {
        try {
            REPORTED = MethodHandles.lookup().findVarHandle(TaskQueue.class, "reported", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WakeWord word;
    private final TaskSlots slots;
    private final long capacity;
    private final QueueFullPolicy policy;
    private final ConcurrentLinkedQueue<Thread> corked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger corkedCount = new AtomicInteger();
    private final AtomicLong producersBlocked = new AtomicLong();
    /** Bounded only: the slots the loop took, written as it takes each (unbounded queues never write it). */
    @SuppressWarnings("unused") // through REPORTED
    private volatile long reported;

    TaskQueue(WakeWord word, int capacity, QueueFullPolicy policy) {
        this(word, capacity, policy, new TaskSlots());
    }

    /** The seam for tests: {@code slots} may fail a store. */
    TaskQueue(WakeWord word, int capacity, QueueFullPolicy policy, TaskSlots slots) {
        this.word = word;
        this.slots = slots;
        this.capacity = capacity > 0 ? capacity : Long.MAX_VALUE;
        this.policy = policy;
    }

    /**
     * Producer: enqueues a task, waiting for room if the queue is bounded, full and the policy says so.
     *
     * @param task the task
     * @param closed tells a waiting producer to give up
     * @return the word before the claim ({@link WakeWord#terminated} and {@link WakeWord#shouldRing} tell the rest)
     * @throws RejectedExecutionException if full under {@link QueueFullPolicy#REJECT}, or closed while waiting
     */
    long offer(Runnable task, BooleanSupplier closed) {
        long before = tryOffer(task);
        if (before != FULL) {
            return before;
        }
        if (policy == QueueFullPolicy.REJECT) {
            throw new RejectedExecutionException("task queue full (" + capacity + " tasks)");
        }
        producersBlocked.incrementAndGet();
        Thread me = Thread.currentThread();
        corked.add(me);
        corkedCount.incrementAndGet();
        try {
            while ((before = tryOffer(task)) == FULL) {
                if (closed.getAsBoolean()) {
                    throw new RejectedExecutionException("event loop closed while the producer waited for room");
                }
                LockSupport.park(this);
            }
            return before;
        } finally {
            corkedCount.decrementAndGet();
            corked.remove(me);
        }
    }

    /**
     * Enqueues without waiting or throwing for room.
     *
     * @param task the task
     * @return the word before the claim, or {@link #FULL} if a bounded queue has no room
     */
    long tryOffer(Runnable task) {
        long before = capacity == Long.MAX_VALUE ? word.claim() : claimBelowCapacity();
        return before == FULL ? FULL : fill(before, task);
    }

    /**
     * Enqueues whatever the room: the bound is for ordinary tasks, not for a cancel or a close.
     *
     * @param task the task
     * @return the word before the claim
     */
    long offerEvenIfFull(Runnable task) {
        return fill(word.claim(), task);
    }

    private long claimBelowCapacity() {
        long v = word.get();
        while (!WakeWord.terminated(v)) {
            if (WakeWord.sequence(v) - (long) REPORTED.getVolatile(this) >= capacity) {
                return FULL;
            }
            long witness = word.claimIf(v);
            if (witness == v) {
                return v;
            }
            v = witness;
        }
        return v; // TERMINATED: nothing claimed, and the caller rejects
    }

    /**
     * Stores the task into the slot the claim took, unless the claim came after the loop's last drain (then the slot
     * is never read, and the caller rejects). If the store fails, the slot gets {@link #SKIPPED}, so that the loop
     * passes over it instead of waiting for it, and the failure is rethrown: the task was not accepted.
     *
     * @param before the word before the claim
     * @param task the task
     * @return {@code before}
     */
    private long fill(long before, Runnable task) {
        if (WakeWord.terminated(before)) {
            return before;
        }
        long index = WakeWord.sequence(before);
        try {
            store(index, task);
        } catch (Throwable e) {
            try {
                // Called from this frame, one shallower than the failed store's: a stack that overflowed in there
                // has that frame's room here.
                slots.store(index, SKIPPED);
            } catch (Throwable again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return before;
    }

    /** The extra frame that {@link #fill}'s skip does without. */
    private void store(long index, Runnable task) {
        slots.store(index, task);
    }

    /**
     * Loop: the next stored task, or null if the next slot holds none yet. It reads no word: a slot claimed and not
     * yet stored reads as empty here, and the loop learns of it from the sequence its arm returns (or its idle spin
     * reads), which stays ahead of {@link #consumed()} until the store lands and a later pass takes it. So the loop
     * neither spins on a line a producer is about to write nor pulls the word's line from a producer that is adding
     * on it; it sees only finished stores, and when it runs dry it parks and lets the producers fill a batch.
     *
     * @return the task, or null
     */
    Runnable poll() {
        return poll(0); // every slot below 0 was taken: an empty slot ends the poll, never waits
    }

    /**
     * Loop: the next task, or null when no slot below {@code claimed} is left and the next one holds nothing. A
     * claimed slot whose task is not stored yet is waited for: its producer has claimed and will store.
     *
     * @param claimed a sequence the loop read from the word (acquire): every slot below it was claimed
     * @return the task, or null
     */
    Runnable poll(long claimed) {
        while (true) {
            Runnable t = slots.peekNext();
            if (t == null) {
                if (slots.taken() >= claimed) {
                    return null;
                }
                Thread.onSpinWait();
                continue;
            }
            take();
            if (t != SKIPPED) {
                return t;
            }
        }
    }

    private void take() {
        slots.advance();
        if (capacity != Long.MAX_VALUE) {
            // Bounded only: the room frees as each task is taken, not when the batch ends (a task that blocks
            // the loop must not hold its slot). A release store; afterPolls adds the fence corked producers need.
            REPORTED.setRelease(this, slots.taken());
        }
    }

    /** @return how many slots the loop has taken: equal to the word's sequence when the queue is empty */
    long consumed() {
        return slots.taken();
    }

    /** Loop, after a drain that took tasks: lets go of them, and unparks producers waiting for room. */
    void afterPolls() {
        slots.clearTaken();
        if (capacity != Long.MAX_VALUE) {
            // Orders the reports take() stored before the read of corkedCount (Dekker, see class doc).
            VarHandle.fullFence();
            if (corkedCount.get() > 0) {
                wakeAll();
            }
        }
    }

    /** Unparks every corked producer (room freed, or the loop terminated). */
    void wakeAll() {
        for (Thread t : corked) {
            LockSupport.unpark(t);
        }
    }

    long producersBlocked() {
        return producersBlocked.get();
    }
}
