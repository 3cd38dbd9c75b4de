package io.ringloop.kernel.snippets;

import io.ringloop.kernel.IoUringUnavailableException;
import io.ringloop.kernel.NativeCallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The code of {@code io.ringloop.kernel}'s overview, compiled and run so that it cannot rot. */
class KernelSnippets {
    /** What a service tells its operator when opening a loop (or any other call) fails in the kernel. */
    static String explain(RuntimeException failure) {
        // @start region="explain"
        if (failure instanceof IoUringUnavailableException unavailable) {
            // No io_uring in this process (a seccomp profile, a sysctl, an old kernel): the message says which.
            return "io_uring unavailable: " + unavailable.getMessage();
        }
        if (failure instanceof NativeCallException call) {
            return "the kernel refused with " + call.errnoName() + " (errno " + call.errno() + ")";
        }
        // @end
        return failure.toString();
    }

    @Test
    void shouldNameTheErrno() {
        assertThat(explain(new NativeCallException("open", -2L))).isEqualTo(
                "the kernel refused with ENOENT (errno 2)");
        assertThat(explain(IoUringUnavailableException.of(-1L))).startsWith("io_uring unavailable: ")
                .contains("EPERM");
    }
}
