package io.ringloop;

import io.ringloop.binding.Ring;

import java.util.BitSet;

/**
 * The body of a loop's thread: sets up the ring on that thread (so that it is the ring's single issuer), runs the
 * agent until it terminates, and releases everything however it ended.
 *
 * <p>What a loop survives: anything a task, a timer or an I/O completion throws is reported to the error handler and
 * the loop goes on, except a {@link VirtualMachineError} (a {@code StackOverflowError}, an {@code OutOfMemoryError}),
 * after which the JVM's own state may be unsound. That, or an errno the loop cannot handle, starts an orderly close:
 * new tasks are rejected, the tasks already accepted run, every operation still in the kernel is cancelled and
 * completes once the kernel has let go of its buffer, and the termination future fails with the error. If that close
 * fails too, the loop gives up ({@link LoopAgent#abandon}).
 */
final class LoopRunner implements Runnable {
    private final EventLoop loop;
    private final LoopOptions options;
    private final WakeWord word;
    private final TaskQueue queue;
    private final DoorbellDriver doorbell;
    private final LoopCounters counters;
    /** The ring whose async workers this loop's ring shares ({@code ATTACH_WQ}), or -1. */
    private final int attachWqFd;

    LoopRunner(EventLoop loop, LoopOptions options, WakeWord word, TaskQueue queue, DoorbellDriver doorbell,
            LoopCounters counters, int attachWqFd) {
        this.loop = loop;
        this.options = options;
        this.word = word;
        this.queue = queue;
        this.doorbell = doorbell;
        this.counters = counters;
        this.attachWqFd = attachWqFd;
    }

    @Override
    public void run() {
        LoopAgent a;
        try {
            // Before the ring: its memory is then allocated from the pinned CPU's node.
            BitSet cpus = CpuAffinity.pinCurrentThread(options.cpuAffinity(), "event loop '" + options.threadName()
                    + "'");
            Ring ring = Ring.open(options.ringOptions(attachWqFd));
            try {
                a = new LoopAgent(loop, options, word, queue, doorbell, counters, ring);
            } catch (RuntimeException | Error e) {
                ring.close();
                throw e;
            }
            loop.life.started(a, cpus);
        } catch (Throwable e) {
            loop.life.failedToStart(e);
            return;
        }
        try {
            runToTheEnd(a);
        } finally {
            loop.life.ended(a);
        }
    }

    private void runToTheEnd(LoopAgent a) {
        try {
            a.run();
            return;
        } catch (Throwable e) {
            loop.life.died(e);
            TaskErrorHandler.PRINT.onError(() -> { }, e);
        }
        try {
            a.run();
        } catch (Throwable again) {
            // The loop died: no later offer may believe its task will run. Every offer before this one stores its
            // task, and is reported rejected below.
            long claimed = WakeWord.sequence(word.terminateNow());
            loop.failure().addSuppressed(again);
            a.abandon(loop.failure(), claimed);
        }
    }
}
