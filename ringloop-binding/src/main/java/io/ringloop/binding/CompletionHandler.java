package io.ringloop.binding;

/**
 * Receives CQEs from {@link CompletionQueue#reap}: three primitives, so that reaping allocates nothing.
 */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * One completion.
     *
     * @param userData the SQE's {@code user_data}
     * @param res the result: a count, an fd, or {@code -errno}
     * @param flags {@code IORING_CQE_F_*}, and the buffer id above {@link IoUringFlags#CQE_BUFFER_SHIFT}
     */
    void onCompletion(long userData, int res, int flags);
}
