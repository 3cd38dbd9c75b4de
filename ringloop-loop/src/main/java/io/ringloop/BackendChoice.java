package io.ringloop;

import io.ringloop.binding.Ring;
import io.ringloop.kernel.IoUringUnavailableException;

/**
 * Turns {@link Backend#AUTO} into the backend a loop runs on: io_uring if a ring can be set up here, else epoll.
 * The answer is the kernel's own: a tiny ring is set up and closed. Only the refusals that mean "io_uring is not for
 * this process" (EPERM, ENOSYS, ENOMEM: {@link IoUringUnavailableException}) fall back; any other failure is a real
 * error and is thrown as it is.
 */
final class BackendChoice {
    private BackendChoice() {
    }

    /** The options with a concrete backend. */
    static LoopOptions resolve(LoopOptions options) {
        if (options.backend() != Backend.AUTO) {
            return options;
        }
        LoopOptions uring = options.toBuilder().backend(Backend.IO_URING).build();
        try {
            Ring.open(uring.ringOptions().withCqEntries(0)).close();
            return uring;
        } catch (IoUringUnavailableException e) {
            OperatorLog.epollFallback(e.getMessage());
            return options.toBuilder().backend(Backend.EPOLL).build();
        }
    }
}
