package io.ringloop.io;

/**
 * The callback form of an operation: called once, on the loop thread, when the kernel's completion arrives. Starting
 * an operation with a handler on the loop thread allocates nothing (the operation object is pooled by its channel);
 * from another thread it allocates the hop to the loop.
 *
 * @param <A> the attachment's type, passed back unchanged so that one handler instance can serve many calls
 */
public interface IoHandler<A> {
    /**
     * The operation succeeded.
     *
     * @param result bytes transferred (0 at end of stream or file), or 0 for operations without a count
     * @param attachment what was passed when the operation started
     */
    void completed(long result, A attachment);

    /**
     * The operation failed, timed out, was cancelled or its channel was closed.
     *
     * @param error a {@link RingIoException} (or subclass) naming the operation, the errno and the target
     * @param attachment what was passed when the operation started
     */
    void failed(RingIoException error, A attachment);
}
