package io.ringloop;

import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

import static io.ringloop.EventLoop.CLOSING;
import static io.ringloop.EventLoop.RUNNING;
import static io.ringloop.EventLoop.TERMINATED;

/**
 * The life of one loop: opening it, its thread's start, a death it does not survive, the close, and the end.
 *
 * <pre>
 *   open() ──► RUNNING ──close() / died()──► CLOSING ──ended()──► TERMINATED
 *      └──────────── failedToStart() (no ring, no thread) ─────────────┘
 * </pre>
 *
 * <p>The state word itself lives in {@link EventLoop#state}, beside the queue and the wake word, because every
 * {@code execute} reads it; this class is everything that writes it. It is volatile: a producer that reads CLOSING
 * also sees the failure written before it, and one that still reads RUNNING publishes a task the loop drains before
 * it terminates (the wake word's TERMINATED bit, not this state, is what makes that exact).
 */
final class LoopLifecycle {
    private static final Runnable NOOP = () -> { };

    private final EventLoop loop;
    /** Completed by the loop thread once the ring and the agent exist, or exceptionally if they could not be made. */
    final CompletableFuture<Void> started = new CompletableFuture<>();
    /** Completed by the loop thread last of all: normally, or with {@link #failure}. */
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** The error that ended the loop; written before {@code state} becomes CLOSING. */
    volatile Throwable failure;

    LoopLifecycle(EventLoop loop) {
        this.loop = loop;
    }

    /** Opens a loop (see {@link EventLoop#open(LoopOptions)}); with a ring fd, sharing that ring's async workers. */
    static EventLoop open(LoopOptions asked, int attachWqFd) {
        Objects.requireNonNull(asked, "options");
        LoopOptions options = BackendChoice.resolve(asked);
        Doorbell chosen = DoorbellChoice.resolve(options);
        OperatorLog.doorbellChosen(options.doorbell(), chosen);
        EventLoop loop = new EventLoop(options, chosen, attachWqFd);
        try {
            loop.thread.start();
            loop.life.started.join();
        } catch (Throwable e) {
            // No thread (OutOfMemoryError: unable to create native thread) or no ring: nothing may stay registered
            // or open.
            LoopRegistry.unregister(loop.id);
            loop.doorbell.close();
            if (e instanceof CompletionException ce && ce.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return loop;
    }

    /** Loop thread, once the ring is set up and the agent made: the loop runs from now on. */
    void started(LoopAgent a, BitSet cpus) {
        OperatorLog.flagsRefused(loop.options().ringOptions().wantedFlags(), a.ring().setupFlags());
        loop.agent = a;
        loop.cpuAffinity = cpus;
        started.complete(null);
        loop.thread.agent(a);
    }

    /** Loop thread: the ring or the agent could not be set up; open() throws what came of it. */
    void failedToStart(Throwable e) {
        loop.state = TERMINATED;
        terminated.complete(null);
        started.completeExceptionally(e);
    }

    /** Loop thread: an error the loop does not survive; from now on it closes (see {@link LoopRunner}). */
    void died(Throwable e) {
        failure = e;
        loop.state = CLOSING;
    }

    /** Loop thread, last: the agent has stopped, normally or not. */
    void ended(LoopAgent a) {
        loop.state = TERMINATED;
        // No MSG_RING from this thread once its ring may be closing.
        loop.thread.agent(null);
        loop.queue.wakeAll();
        try {
            a.release();
        } finally {
            LoopRegistry.unregister(loop.id);
            Throwable f = failure;
            if (f == null) {
                terminated.complete(null);
            } else {
                terminated.completeExceptionally(f);
            }
        }
    }

    /** The first half of {@link EventLoop#close()}: from now on new tasks are rejected; a sleeping loop is woken. */
    void beginClose() {
        if (loop.state == RUNNING) {
            loop.state = CLOSING;
            // Wake a sleeping loop so that it sees the state, with a task like any other (the claim is the only way to
            // move the sequence the loop sleeps on). A full bounded queue needs no wake: its tasks were offered, so the
            // loop is awake or being woken.
            long before = loop.queue.tryOffer(NOOP);
            if (before != TaskQueue.FULL) {
                try {
                    loop.afterOffer(before);
                } catch (RejectedExecutionException alreadyDead) {
                    // The loop thread died after the state check: there is nothing left to wake.
                }
            }
        }
    }

    /** The second half of {@link EventLoop#close()}: waits for the thread to finish, keeping the interrupt status. */
    void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
