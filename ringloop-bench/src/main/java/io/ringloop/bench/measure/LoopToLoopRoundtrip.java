package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopPair;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Roundtrips between two loops of one system: loop A, on its own thread, hands a task to loop B, which is asleep;
 * B's task hands the answer back to A. The time is taken on A, from just before its {@code execute} on B until A
 * runs the answer, so both hand-overs are loop-to-loop and the thread driving the benchmark is outside the figure.
 *
 * <p>Per sample the driver waits until B's thread is seen asleep in {@code /proc} (skipping the sample after 50 ms),
 * kicks A with a task (A's own wake is not measured), and sleeps until A's answer task unparks it. A usually parks
 * again right after handing the task to B, so the answer usually wakes a sleeping A too.
 */
public final class LoopToLoopRoundtrip implements RoundtripSubject, AutoCloseable {
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LoopPair pair;
    private final ThreadState stateOfB;
    private final AtomicLong answers = new AtomicLong();
    /** Loop A's clock at the start of the roundtrip; written and read on A only. */
    private long startedAt;
    /** The last roundtrip's duration, written on A before {@code answers} is bumped, read by the driver after. */
    private long lastSample;
    private volatile Thread driver;
    private final Runnable answer = this::answer;
    private final Runnable onB = this::onB;
    private final Runnable start = this::start;

    /**
     * Prepares roundtrips between the pair's loops.
     *
     * @param pair the loops
     */
    public LoopToLoopRoundtrip(LoopPair pair) {
        this.pair = pair;
        this.stateOfB = new ThreadState(pair.tidB());
    }

    @Override
    public String system() {
        return pair.system();
    }

    @Override
    public String variant() {
        return pair.variant();
    }

    /**
     * The loops.
     *
     * @return the pair
     */
    public LoopPair pair() {
        return pair;
    }

    private void start() {
        startedAt = System.nanoTime();
        pair.b().execute(onB);
    }

    private void onB() {
        pair.a().execute(answer);
    }

    private void answer() {
        lastSample = System.nanoTime() - startedAt;
        // The increment publishes lastSample to the driver, which reads it after seeing the new count.
        answers.incrementAndGet();
        LockSupport.unpark(driver);
    }

    @Override
    public void measure(RoundtripMode mode, int maxSamples, long budgetNanos, Tally into) {
        long end = System.nanoTime() + budgetNanos;
        roundtrip();
        int taken = 0;
        while (taken < maxSamples && System.nanoTime() - end < 0) {
            if (!stateOfB.awaitSleeping(LoopRoundtrip.SLEEP_WAIT_NANOS)) {
                into.skip();
                continue;
            }
            into.record(roundtrip());
            taken++;
        }
    }

    /**
     * One roundtrip, driven from the calling thread.
     *
     * @return its duration as loop A measured it
     */
    public long roundtrip() {
        driver = Thread.currentThread();
        long target = answers.get() + 1;
        long t0 = System.nanoTime();
        pair.a().execute(start);
        while (answers.get() < target) {
            // The answer task unparks us; no periodic timer wakes this thread meanwhile, so it cannot disturb the
            // CPUs the two loops wake on. The figure is taken on loop A, not here.
            long left = ANSWER_TIMEOUT_NANOS - (System.nanoTime() - t0);
            LockSupport.parkNanos(Math.max(left, 1));
            if (System.nanoTime() - t0 > ANSWER_TIMEOUT_NANOS) {
                throw new LostWakeException(pair.system() + " " + pair.variant() + ": a loop-to-loop roundtrip did "
                        + "not finish within 10 s (lost wake?)");
            }
        }
        return lastSample;
    }

    @Override
    public void close() {
        stateOfB.close();
    }
}
