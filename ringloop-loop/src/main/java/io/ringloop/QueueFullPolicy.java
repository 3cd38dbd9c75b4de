package io.ringloop;

/**
 * What {@code execute} does when a bounded task queue is full.
 */
public enum QueueFullPolicy {
    /** The producer waits until the loop frees room; it is always woken when room frees. */
    BLOCK,
    /** {@code execute} throws {@link java.util.concurrent.RejectedExecutionException}. */
    REJECT
}
