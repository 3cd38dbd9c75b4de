package io.ringloop.bench.loop;

/**
 * The cost of one loop pass with nothing to do, or the reason it could not be measured.
 *
 * @param nanosPerIteration the cost, or {@link Double#NaN} when not measured
 * @param iterations how many passes the figure averages over
 * @param note how it was measured, or why it was not
 */
public record EmptyIteration(double nanosPerIteration, long iterations, String note) {
    /**
     * A figure that could not be measured.
     *
     * @param why the reason, shown in the report
     * @return the result
     */
    public static EmptyIteration unmeasurable(String why) {
        return new EmptyIteration(Double.NaN, 0, why);
    }

    /**
     * Whether there is a figure.
     *
     * @return true when measured
     */
    public boolean measured() {
        return !Double.isNaN(nanosPerIteration);
    }
}
