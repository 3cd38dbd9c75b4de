package io.ringloop.binding;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Shared helpers for the binding tests: bounded waits for CQEs with clear failure messages, and loopback sockets.
 */
final class TestRings {
    /** The longest any test waits for a CQE that should come. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long a test listens for CQEs that must not come. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final Inet4Address LOOPBACK = loopback();

    /** One CQE as the handler saw it. */
    record Completion(long userData, int res, int flags) {
        boolean more() {
            return (flags & IoUringFlags.CQE_F_MORE) != 0;
        }

        boolean hasBuffer() {
            return (flags & IoUringFlags.CQE_F_BUFFER) != 0;
        }

        int bufferId() {
            return flags >>> IoUringFlags.CQE_BUFFER_SHIFT;
        }

        @Override
        public String toString() {
            String r = res < 0 ? res + " (" + Errno.name(res) + ")" : Integer.toString(res);
            List<String> f = new ArrayList<>();
            if (hasBuffer()) {
                f.add("BUFFER(bid " + bufferId() + ")");
            }
            if (more()) {
                f.add("MORE");
            }
            if ((flags & IoUringFlags.CQE_F_SOCK_NONEMPTY) != 0) {
                f.add("SOCK_NONEMPTY");
            }
            return "CQE[user_data=" + userData + ", res=" + r + ", flags=" + f + "]";
        }
    }

    private TestRings() {
    }

    private static Inet4Address loopback() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A ring with the strongest flags and the system property's mask, as the loop opens it. */
    static Ring open(int entries) {
        return Ring.open(RingOptions.of(entries));
    }

    /** A ring with the strongest flags and nothing masked, for tests of flag-specific kernel behaviour. */
    static Ring openUnmasked(int entries) {
        return Ring.open(RingOptions.of(entries).withMask(FeatureMask.NONE));
    }

    /** Reaps whatever the CQ holds now, without entering the kernel. */
    static List<Completion> reapNow(Ring ring) {
        List<Completion> got = new ArrayList<>();
        ring.cq().reap((ud, res, fl) -> got.add(new Completion(ud, res, fl)), Integer.MAX_VALUE);
        return got;
    }

    /**
     * Submits what is prepared and waits until {@code count} CQEs have been handed over, for at most
     * {@link #WAIT_NANOS}; fails naming what it waited for and what came.
     */
    static List<Completion> await(Ring ring, int count, String what) {
        List<Completion> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            ring.cq().reap((ud, res, fl) -> got.add(new Completion(ud, res, fl)), count - got.size());
            if (got.size() >= count) {
                return got;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("timed out after %d ms waiting for %d CQE(s) of %s; got %s (ring %s, SQ flags 0x%x)",
                        TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS), count, what, got, ring,
                        ring.sq().kernelFlags());
            }
            int r = ring.submitAndWait(1, left);
            if (r < 0 && r != -Errno.ETIME && r != -Errno.EINTR) {
                return fail("submitAndWait failed with %d (%s) while waiting for %s; got %s",
                        r, Errno.name(r), what, got);
            }
        }
    }

    /** Waits for exactly one CQE. */
    static Completion awaitOne(Ring ring, String what) {
        return await(ring, 1, what).get(0);
    }

    /** The CQE with the given user_data among those reaped, failing if it is not there. */
    static Completion find(List<Completion> completions, long userData) {
        return completions.stream().filter(c -> c.userData() == userData).findFirst()
                .orElseGet(() -> fail("no CQE with user_data %d in %s", userData, completions));
    }

    /** Submits what is prepared, waits {@link #QUIET_NANOS} and asserts that no CQE was handed over. */
    static void assertQuiet(Ring ring, String why) {
        int r = ring.submitAndWait(1, QUIET_NANOS);
        assertThat(r).as("submitAndWait while expecting silence: %s", Errno.name(r))
                .satisfiesAnyOf(v -> assertThat(v).isGreaterThanOrEqualTo(0),
                        v -> assertThat(v).isEqualTo(-Errno.ETIME));
        assertThat(reapNow(ring)).as(why).isEmpty();
    }

    /** Asserts a syscall result is not an error, naming the errno if it is. */
    static long ok(long result, String call) {
        assertThat(result).as("%s failed: %s (%d)", call, result < 0 ? Errno.name((int) result) : "", result)
                .isGreaterThanOrEqualTo(0);
        return result;
    }

    /** The bytes of a segment's prefix as a string. */
    static String string(MemorySegment segment, int length) {
        return new String(segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
    }

    /** Native bytes of a string, without a NUL. */
    static MemorySegment bytes(Arena arena, String s) {
        return arena.allocateFrom(ValueLayout.JAVA_BYTE,
                s.getBytes(StandardCharsets.UTF_8));
    }

    /** The port a socket is bound to. */
    static int localPort(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SockaddrIn6.LAYOUT);
            ok(Syscalls.getsockname(fd, address), "getsockname");
            return SockaddrIn.port(address);
        }
    }

    /** What {@code /proc/self/fd/<fd>} names, or "(closed)"; never touches the fd itself. */
    static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd)))
                    .toString();
        } catch (IOException e) {
            return "(closed)";
        }
    }

    /** Fds a test opened, closed at its end unless the test closed them itself and said so. */
    static final class Fds implements AutoCloseable {
        private final List<Integer> open = new ArrayList<>();

        int track(int fd, String what) {
            ok(fd, what);
            open.add(fd);
            return fd;
        }

        /** The test closed this fd (for example with IORING_OP_CLOSE): never close it again. */
        void forget(int fd) {
            open.remove(Integer.valueOf(fd));
        }

        /** A pipe: {read end, write end}. */
        int[] pipe() {
            long p = ok(Syscalls.pipe2(Syscalls.O_CLOEXEC), "pipe2");
            return new int[] {track((int) p, "pipe read end"), track((int) (p >>> 32), "pipe write end")};
        }

        int eventfd() {
            return track(Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC | Syscalls.EFD_NONBLOCK), "eventfd");
        }

        int tcpSocket() {
            return track(Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0), "socket");
        }

        /** A TCP socket listening on 127.0.0.1 on a free port. */
        int listenLoopback() {
            int fd = tcpSocket();
            ok(Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEADDR, 1), "setsockopt(SO_REUSEADDR)");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment address = arena.allocate(SockaddrIn.LAYOUT);
                SockaddrIn.write(address, LOOPBACK, 0);
                ok(Syscalls.bind(fd, address), "bind(127.0.0.1:0)");
            }
            ok(Syscalls.listen(fd, 16), "listen");
            return fd;
        }

        @Override
        public void close() {
            for (int fd : open) {
                Syscalls.close(fd);
            }
            open.clear();
        }
    }
}
