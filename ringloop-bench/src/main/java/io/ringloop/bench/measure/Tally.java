package io.ringloop.bench.measure;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/** Samples of one benchmark for one system, gathered over all rounds, plus what was left out and why. */
public final class Tally {
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);

    private final Histogram samples = new Histogram(HIGHEST, 3);
    private final Histogram idleBefore = new Histogram(HIGHEST, 3);
    private long skipped;
    private String failure;

    /**
     * Records one sample, clamped to the histogram's range (a minute) so one outlier cannot abort a run.
     *
     * @param nanos the sample
     */
    public void record(long nanos) {
        samples.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    /**
     * Records one value that stands for several equal samples (the mean of a batch).
     *
     * @param nanos the value
     * @param count how many samples it stands for
     */
    public void record(long nanos, long count) {
        samples.recordValueWithCount(Math.min(Math.max(nanos, 0), HIGHEST), count);
    }

    /**
     * Records how long the loop had been idle when a parked sample was signalled.
     *
     * @param nanos the idle time
     */
    public void recordIdleBefore(long nanos) {
        idleBefore.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    /** Counts a sample left out because its precondition (the loop asleep) was not met in time. */
    public void skip() {
        skipped++;
    }

    /**
     * Adds skipped samples counted elsewhere (the C program).
     *
     * @param n how many
     */
    public void skip(long n) {
        skipped += n;
    }

    /**
     * Marks this system as failed in this benchmark; later rounds leave it out.
     *
     * @param why what went wrong
     */
    public void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    /**
     * The samples.
     *
     * @return the histogram
     */
    public Histogram samples() {
        return samples;
    }

    /**
     * Idle times before parked samples.
     *
     * @return the histogram, empty for other modes
     */
    public Histogram idleBefore() {
        return idleBefore;
    }

    /**
     * Samples skipped.
     *
     * @return the count
     */
    public long skipped() {
        return skipped;
    }

    /**
     * Why the system failed, if it did.
     *
     * @return the failure or null
     */
    public String failure() {
        return failure;
    }
}
