package io.ringloop.bench.measure;

/** A task that was never run within the time limit: a lost wake, reported instead of a hang. */
public final class LostWakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Describes the loss.
     *
     * @param message which loop and how long
     */
    public LostWakeException(String message) {
        super(message);
    }
}
