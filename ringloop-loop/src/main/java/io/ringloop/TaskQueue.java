package io.ringloop;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The loop's inbox: a JCTools MPSC queue, unbounded or bounded, and the producers corked on a full one.
 *
 * <p>The queues are JCTools' {@code atomic} variants, built on field updaters and {@code AtomicReferenceArray}: the
 * default ones reach memory through {@code sun.misc.Unsafe}, which JDK 24+ warns about on first use (JEP 498) and a
 * later JDK will refuse. JCTools 4.0.5 has no atomic twin of the XADD queue, so the unbounded one claims its slot with
 * a CAS; with one producer the CAS never retries, and docs/PERFORMANCE.md has the measured difference.
 *
 * <p>Seed 001: eliding notifications is safe only if whoever waits for room is still woken. A corked producer
 * first enqueues itself in {@code corked}, then raises {@code corkedCount} (a full-fence read-modify-write), then
 * retries its offer, which either finds room under the producer limit it reads, or reads the consumer index (a
 * volatile load) to look for room. The loop, after a batch of polls has advanced the consumer index, issues a full
 * fence and reads {@code corkedCount}. This is Dekker's pattern: either the producer's retry sees the room, or the
 * loop sees the count and unparks it; the wake word plays no part, so no elided bell can strand a corked producer.
 * {@code LockSupport.unpark} before {@code park} leaves a permit, so the unpark is never lost either.
 */
final class TaskQueue {
    private final MessagePassingQueue<Runnable> queue;
    private final boolean bounded;
    private final QueueFullPolicy policy;
    private final ConcurrentLinkedQueue<Thread> corked = new ConcurrentLinkedQueue<>();
    /**
     * Tasks that must not be refused for lack of room (a cancel, a close): offered here when a bounded queue is full.
     * The loop polls it after the queue; both are drained before the loop counts itself caught up.
     */
    private final ConcurrentLinkedQueue<Runnable> overflow = new ConcurrentLinkedQueue<>();
    private final AtomicInteger corkedCount = new AtomicInteger();
    private final AtomicLong producersBlocked = new AtomicLong();

    TaskQueue(int capacity, QueueFullPolicy policy) {
        this.bounded = capacity > 0;
        this.policy = policy;
        this.queue = bounded ? new MpscAtomicArrayQueue<>(capacity) : new MpscUnboundedAtomicArrayQueue<>(1024);
    }

    /**
     * Producer: enqueues a task, waiting for room if the queue is bounded, full and the policy says so.
     *
     * @param task the task
     * @param closed tells a waiting producer to give up
     * @throws RejectedExecutionException if full under {@link QueueFullPolicy#REJECT}, or closed while waiting
     */
    void offer(Runnable task, BooleanSupplier closed) {
        if (queue.offer(task)) {
            return;
        }
        if (policy == QueueFullPolicy.REJECT) {
            throw new RejectedExecutionException("task queue full (" + queue.capacity() + " tasks)");
        }
        producersBlocked.incrementAndGet();
        Thread me = Thread.currentThread();
        corked.add(me);
        corkedCount.incrementAndGet();
        try {
            while (!queue.offer(task)) {
                if (closed.getAsBoolean()) {
                    throw new RejectedExecutionException("event loop closed while the producer waited for room");
                }
                LockSupport.park(this);
            }
        } finally {
            corkedCount.decrementAndGet();
            corked.remove(me);
        }
    }

    /**
     * Enqueues without waiting or throwing.
     *
     * @param task the task
     * @return false if a bounded queue is full
     */
    boolean tryOffer(Runnable task) {
        return queue.offer(task);
    }

    /**
     * Enqueues whatever the room: into the overflow lane when a bounded queue is full.
     *
     * @param task the task
     */
    void offerEvenIfFull(Runnable task) {
        if (!queue.offer(task)) {
            overflow.add(task);
        }
    }

    /** Loop: the next task, or null when no producer has claimed a slot (an in-progress offer is waited for). */
    Runnable poll() {
        Runnable t = queue.poll();
        // Only a bounded queue ever overflows; the lane is read once the queue itself came up empty.
        return t != null || !bounded ? t : overflow.poll();
    }

    /** Loop, after polling: unparks producers waiting for room. */
    void afterPolls() {
        if (bounded) {
            // Orders the consumer-index stores of the polls before the read of corkedCount (Dekker, see class doc).
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

    boolean isEmpty() {
        return queue.isEmpty() && overflow.isEmpty();
    }

    long producersBlocked() {
        return producersBlocked.get();
    }
}
