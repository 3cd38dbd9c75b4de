package io.ringloop.binding;

import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import static io.ringloop.binding.TestRings.ok;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** The plain syscalls the tests and the loop rely on, and the -errno convention. */
class SyscallsTest {
    @Test
    void shouldCoalesceEventfdWritesIntoOneReadThatClearsTheCounter() {
        try (Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int efd = fds.eventfd();
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            for (int i = 0; i < 3; i++) {
                assertThat(ok(Syscalls.write(efd, one), "eventfd write")).isEqualTo(8);
            }
            MemorySegment counter = arena.allocate(JAVA_LONG);
            assertThat(Syscalls.read(efd, counter)).isEqualTo(8);
            assertThat(counter.get(JAVA_LONG, 0)).isEqualTo(3);
            assertThat(Syscalls.read(efd, counter)).as("a drained non-blocking eventfd").isEqualTo(-Errno.EAGAIN);
        }
    }

    @Test
    void shouldReturnNegativeErrnoForAFailedCall() {
        assertThat(Syscalls.close(999_999)).isEqualTo(-Errno.EBADF);
        assertThat(Syscalls.socket(12345, Syscalls.SOCK_STREAM, 0)).isEqualTo(-Errno.EAFNOSUPPORT);
    }

    @Test
    void shouldReportTheBoundPortOfAListeningSocket() {
        try (Fds fds = new Fds()) {
            int fd = fds.listenLoopback();
            assertThat(TestRings.localPort(fd)).isBetween(1, 65535);
        }
    }

    @Test
    void shouldReadAndRestoreThisThreadsAffinity() {
        BitSet cpus = Syscalls.getAffinity();
        assertThat(cpus.cardinality()).isPositive();
        assertThat(Syscalls.setAffinity(cpus)).isZero();
        assertThat(Syscalls.getAffinity()).isEqualTo(cpus);
        assertThat(Syscalls.gettid()).isPositive();
    }
}
