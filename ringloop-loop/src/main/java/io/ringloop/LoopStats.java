package io.ringloop;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a loop's counters ({@link EventLoop#stats()}). Each is monotonic; take two snapshots and subtract for
 * a rate. What each counts is in its {@link LoopCounter}; the named accessors are shorthands for
 * {@link #get(LoopCounter)}.
 */
public final class LoopStats {
    private final long[] values;
    private final Backend backend;

    /**
     * A snapshot: the loop thread's counters, plus those that producers write (the wake word's sequence counts every
     * publish, the doorbell every bell), each read with the access its writer promises.
     */
    static LoopStats of(LoopCounters counters, DoorbellDriver doorbell, WakeWord word, TaskQueue queue,
            Backend backend) {
        long[] v = counters.snapshot();
        long rung = doorbell.rung();
        v[LoopCounter.WAKEUPS_RUNG.ordinal()] = rung;
        v[LoopCounter.WAKEUPS_ELIDED.ordinal()] = Math.max(0, WakeWord.sequence(word.get()) - rung);
        v[LoopCounter.PRODUCERS_BLOCKED.ordinal()] = queue.producersBlocked();
        v[LoopCounter.MSG_RING_WAKES.ordinal()] = doorbell.msgRingWakes();
        v[LoopCounter.DOORBELL_FALLBACKS.ordinal()] = doorbell.fallbacks();
        return new LoopStats(v, backend);
    }

    /** Takes the values, indexed by {@link LoopCounter#ordinal()}, as they are. */
    LoopStats(long[] values, Backend backend) {
        if (values.length != LoopCounter.count()) {
            throw new IllegalArgumentException("one value per LoopCounter, not " + values.length);
        }
        this.values = values;
        this.backend = backend;
    }

    /**
     * The backend the loop runs on ({@link EventLoop#backend()}).
     *
     * @return {@link Backend#IO_URING} or {@link Backend#EPOLL}
     */
    public Backend backend() {
        return backend;
    }

    /**
     * One counter's value.
     *
     * @param counter which
     * @return its value when the snapshot was taken
     */
    public long get(LoopCounter counter) {
        return values[counter.ordinal()];
    }

    /**
     * Every counter by its {@link LoopCounter#statName()}, in declaration order: what reports and JSON print.
     *
     * @return a new map
     */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (LoopCounter c : LoopCounter.values()) {
            m.put(c.statName(), get(c));
        }
        return m;
    }

    /**
     * {@link LoopCounter#TASKS_RUN}.
     *
     * @return the count
     */
    public long tasksRun() {
        return get(LoopCounter.TASKS_RUN);
    }

    /**
     * {@link LoopCounter#WAKEUPS_RUNG}.
     *
     * @return the count
     */
    public long wakeupsRung() {
        return get(LoopCounter.WAKEUPS_RUNG);
    }

    /**
     * {@link LoopCounter#WAKEUPS_ELIDED}.
     *
     * @return the count
     */
    public long wakeupsElided() {
        return get(LoopCounter.WAKEUPS_ELIDED);
    }

    /**
     * {@link LoopCounter#DOORBELL_REARMS}.
     *
     * @return the count
     */
    public long doorbellRearms() {
        return get(LoopCounter.DOORBELL_REARMS);
    }

    /**
     * {@link LoopCounter#CQ_OVERFLOWS}.
     *
     * @return the count
     */
    public long cqOverflows() {
        return get(LoopCounter.CQ_OVERFLOWS);
    }

    /**
     * {@link LoopCounter#ARMS}.
     *
     * @return the count
     */
    public long arms() {
        return get(LoopCounter.ARMS);
    }

    /**
     * {@link LoopCounter#PARKS}.
     *
     * @return the count
     */
    public long parks() {
        return get(LoopCounter.PARKS);
    }

    /**
     * {@link LoopCounter#SPIN_WAKEUPS}.
     *
     * @return the count
     */
    public long spinWakeups() {
        return get(LoopCounter.SPIN_WAKEUPS);
    }

    /**
     * {@link LoopCounter#TIMERS_FIRED}.
     *
     * @return the count
     */
    public long timersFired() {
        return get(LoopCounter.TIMERS_FIRED);
    }

    /**
     * {@link LoopCounter#TASKS_FAILED}.
     *
     * @return the count
     */
    public long tasksFailed() {
        return get(LoopCounter.TASKS_FAILED);
    }

    /**
     * {@link LoopCounter#PRODUCERS_BLOCKED}.
     *
     * @return the count
     */
    public long producersBlocked() {
        return get(LoopCounter.PRODUCERS_BLOCKED);
    }

    /**
     * {@link LoopCounter#LOOP_SYSCALLS}.
     *
     * @return the count
     */
    public long loopSyscalls() {
        return get(LoopCounter.LOOP_SYSCALLS);
    }

    /**
     * {@link LoopCounter#IO_SUBMITTED}.
     *
     * @return the count
     */
    public long ioSubmitted() {
        return get(LoopCounter.IO_SUBMITTED);
    }

    /**
     * {@link LoopCounter#IO_COMPLETED}.
     *
     * @return the count
     */
    public long ioCompleted() {
        return get(LoopCounter.IO_COMPLETED);
    }

    /**
     * {@link LoopCounter#IO_DEFERRED}.
     *
     * @return the count
     */
    public long ioDeferred() {
        return get(LoopCounter.IO_DEFERRED);
    }

    /**
     * {@link LoopCounter#DOORBELL_CQES}.
     *
     * @return the count
     */
    public long doorbellCqes() {
        return get(LoopCounter.DOORBELL_CQES);
    }

    /**
     * {@link LoopCounter#IDLE_ITERATIONS}.
     *
     * @return the count
     */
    public long idleIterations() {
        return get(LoopCounter.IDLE_ITERATIONS);
    }

    /**
     * {@link LoopCounter#MSG_RING_WAKES}.
     *
     * @return the count
     */
    public long msgRingWakes() {
        return get(LoopCounter.MSG_RING_WAKES);
    }

    /**
     * {@link LoopCounter#DOORBELL_FALLBACKS}.
     *
     * @return the count
     */
    public long doorbellFallbacks() {
        return get(LoopCounter.DOORBELL_FALLBACKS);
    }

    /**
     * {@link LoopCounter#LOOP_WAKE_CQES}.
     *
     * @return the count
     */
    public long loopWakeCqes() {
        return get(LoopCounter.LOOP_WAKE_CQES);
    }

    /**
     * {@link LoopCounter#MSG_RING_FAILURES}.
     *
     * @return the count
     */
    public long msgRingFailures() {
        return get(LoopCounter.MSG_RING_FAILURES);
    }

    /**
     * {@link LoopCounter#RING_ENTERS}.
     *
     * @return the count
     */
    public long ringEnters() {
        return get(LoopCounter.RING_ENTERS);
    }

    /**
     * {@link LoopCounter#SQES_SUBMITTED}.
     *
     * @return the count
     */
    public long sqesSubmitted() {
        return get(LoopCounter.SQES_SUBMITTED);
    }

    /**
     * {@link LoopCounter#CQES_REAPED}.
     *
     * @return the count
     */
    public long cqesReaped() {
        return get(LoopCounter.CQES_REAPED);
    }

    /**
     * {@link LoopCounter#REAPS}.
     *
     * @return the count
     */
    public long reaps() {
        return get(LoopCounter.REAPS);
    }

    /**
     * {@link LoopCounter#RECEIVES}.
     *
     * @return the count
     */
    public long receives() {
        return get(LoopCounter.RECEIVES);
    }

    /**
     * {@link LoopCounter#RECEIVE_BUFFERS}.
     *
     * @return the count
     */
    public long receiveBuffers() {
        return get(LoopCounter.RECEIVE_BUFFERS);
    }

    /**
     * {@link LoopCounter#RECEIVE_REARMS}.
     *
     * @return the count
     */
    public long receiveRearms() {
        return get(LoopCounter.RECEIVE_REARMS);
    }

    /**
     * {@link LoopCounter#RECEIVE_NO_BUFFERS}.
     *
     * @return the count
     */
    public long receiveNoBuffers() {
        return get(LoopCounter.RECEIVE_NO_BUFFERS);
    }

    /**
     * {@link LoopCounter#BACKOFFS}.
     *
     * @return the count
     */
    public long backoffs() {
        return get(LoopCounter.BACKOFFS);
    }

    /**
     * {@link LoopCounter#WORD_SLEEPS}.
     *
     * @return the count
     */
    public long wordSleeps() {
        return get(LoopCounter.WORD_SLEEPS);
    }

    /**
     * {@link LoopCounter#WRITE_BATCHES}.
     *
     * @return the count
     */
    public long writeBatches() {
        return get(LoopCounter.WRITE_BATCHES);
    }

    /**
     * {@link LoopCounter#ZERO_COPY_SENDS}.
     *
     * @return the count
     */
    public long zeroCopySends() {
        return get(LoopCounter.ZERO_COPY_SENDS);
    }

    /**
     * {@link LoopCounter#ZERO_COPY_NOTIFICATIONS}.
     *
     * @return the count
     */
    public long zeroCopyNotifications() {
        return get(LoopCounter.ZERO_COPY_NOTIFICATIONS);
    }

    /**
     * {@link LoopCounter#WRITES_COALESCED}.
     *
     * @return the count
     */
    public long writesCoalesced() {
        return get(LoopCounter.WRITES_COALESCED);
    }

    /**
     * {@link LoopCounter#INLINE_SENDS}.
     *
     * @return the count
     */
    public long inlineSends() {
        return get(LoopCounter.INLINE_SENDS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoopStats other && backend == other.backend && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * backend.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("LoopStats[backend=").append(backend).append(", ");
        for (LoopCounter c : LoopCounter.values()) {
            if (c.ordinal() > 0) {
                b.append(", ");
            }
            b.append(c.statName()).append('=').append(get(c));
        }
        return b.append(']').toString();
    }
}
