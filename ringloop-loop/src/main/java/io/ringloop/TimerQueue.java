package io.ringloop;

import java.util.PriorityQueue;

/**
 * The loop's timers: a heap by deadline, then by scheduling order. Loop thread only; no timer thread exists, the
 * loop's sleep is simply bounded by the earliest deadline. Cancelled timers are dropped when they surface.
 */
final class TimerQueue {
    private final PriorityQueue<ScheduledTask> heap = new PriorityQueue<>(ScheduledTask::compareTo);

    void add(ScheduledTask task) {
        heap.add(task);
    }

    boolean isEmpty() {
        dropCancelledHead();
        return heap.isEmpty();
    }

    /**
     * Nanoseconds until the earliest live deadline.
     *
     * @param now {@code System.nanoTime()}
     * @return 0 if one is due, {@link Long#MAX_VALUE} if there is none
     */
    long nanosUntilNext(long now) {
        dropCancelledHead();
        ScheduledTask head = heap.peek();
        return head == null ? Long.MAX_VALUE : Math.max(0, head.deadlineNanos - now);
    }

    /**
     * Removes the earliest timer if it is due.
     *
     * @param now {@code System.nanoTime()}
     * @return the timer, or null if none is due
     */
    ScheduledTask pollDue(long now) {
        dropCancelledHead();
        ScheduledTask head = heap.peek();
        if (head == null || head.deadlineNanos - now > 0) {
            return null;
        }
        return heap.poll();
    }

    /**
     * Runs the timers that are due, earliest first.
     *
     * @param now {@code System.nanoTime()}
     * @param max the most to run
     * @param failures where a timer that throws is reported (after its future failed)
     * @param counters where the timers that ran are counted (as fired, and as tasks run)
     * @return how many ran
     */
    int runDue(long now, int max, FailureReporter failures, LoopCounters counters) {
        int n = 0;
        ScheduledTask t;
        while (n < max && (t = pollDue(now)) != null) {
            if (t.start()) {
                try {
                    t.task.run();
                    t.complete(null);
                } catch (Throwable e) {
                    t.completeExceptionally(e);
                    failures.report(t.task, e);
                }
                n++;
            }
        }
        if (n > 0) {
            counters.add(LoopCounter.TIMERS_FIRED, n);
            counters.add(LoopCounter.TASKS_RUN, n);
        }
        return n;
    }

    /** Cancels every timer (loop termination). */
    void cancelAll() {
        ScheduledTask t;
        while ((t = heap.poll()) != null) {
            t.cancel(false);
        }
    }

    private void dropCancelledHead() {
        ScheduledTask head;
        while ((head = heap.peek()) != null && head.isCancelledState()) {
            heap.poll();
        }
    }
}
