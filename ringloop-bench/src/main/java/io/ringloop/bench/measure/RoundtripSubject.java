package io.ringloop.bench.measure;

/** Something that can be woken and answer: an event loop in this JVM, or the C futex ping-pong. */
public interface RoundtripSubject {
    /**
     * The system's name in the results.
     *
     * @return the system
     */
    String system();

    /**
     * The variant's name in the results.
     *
     * @return the variant
     */
    String variant();

    /**
     * Takes samples into a tally until the count or the time budget is reached.
     *
     * @param mode how idle the subject must be before each signal
     * @param maxSamples at most this many samples
     * @param budgetNanos at most this long
     * @param into where the samples go
     */
    void measure(RoundtripMode mode, int maxSamples, long budgetNanos, Tally into);
}
