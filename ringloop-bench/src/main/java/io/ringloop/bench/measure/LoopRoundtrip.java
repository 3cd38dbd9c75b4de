package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopUnderTest;

import java.util.concurrent.TimeUnit;

/**
 * Roundtrips through an in-process loop: the calling thread is the producer, it times {@code execute} until the
 * {@link Answer} is seen.
 */
public final class LoopRoundtrip implements RoundtripSubject, AutoCloseable {
    /** How long a parked sample waits for the loop to fall asleep before it is skipped. */
    static final long SLEEP_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LoopUnderTest loop;
    private final Answer answer = new Answer();
    private final ThreadState loopState;

    /**
     * Prepares roundtrips through a loop.
     *
     * @param loop the loop
     */
    public LoopRoundtrip(LoopUnderTest loop) {
        this.loop = loop;
        this.loopState = new ThreadState(loop.loopTid());
    }

    @Override
    public String system() {
        return loop.system();
    }

    @Override
    public String variant() {
        return loop.variant();
    }

    /**
     * The loop.
     *
     * @return the loop under test
     */
    public LoopUnderTest loop() {
        return loop;
    }

    @Override
    public void measure(RoundtripMode mode, int maxSamples, long budgetNanos, Tally into) {
        long end = System.nanoTime() + budgetNanos;
        // one unmeasured roundtrip: the previous benchmark (or another system) may have left anything behind
        long lastAnswer = roundtrip();
        int taken = 0;
        while (taken < maxSamples && System.nanoTime() - end < 0) {
            if (mode.parked()) {
                if (!loopState.awaitSleeping(SLEEP_WAIT_NANOS)) {
                    into.skip();
                    continue;
                }
            } else {
                Spin.until(lastAnswer + mode.gapNanos());
            }
            long target = answer.count() + 1;
            long t0 = System.nanoTime();
            loop.execute(answer);
            long t1 = awaitAnswer(target, t0);
            into.record(t1 - t0);
            if (mode.parked()) {
                into.recordIdleBefore(t0 - lastAnswer);
            }
            lastAnswer = t1;
            taken++;
        }
    }

    /**
     * One unmeasured roundtrip, for warm-up.
     *
     * @return when the answer was seen
     */
    public long roundtrip() {
        long target = answer.count() + 1;
        long t0 = System.nanoTime();
        loop.execute(answer);
        return awaitAnswer(target, t0);
    }

    private long awaitAnswer(long target, long t0) {
        while (answer.count() < target) {
            Thread.onSpinWait();
            if (System.nanoTime() - t0 > ANSWER_TIMEOUT_NANOS) {
                throw new LostWakeException(loop.system() + " " + loop.variant() + ": a task handed to the loop was "
                        + "not run within 10 s (lost wake?)");
            }
        }
        return System.nanoTime();
    }

    @Override
    public void close() {
        loopState.close();
    }
}
