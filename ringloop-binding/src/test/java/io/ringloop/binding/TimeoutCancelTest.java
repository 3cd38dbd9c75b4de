package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static io.ringloop.binding.TestRings.assertQuiet;
import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.find;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** TIMEOUT, TIMEOUT_REMOVE, LINK_TIMEOUT and ASYNC_CANCEL. */
class TimeoutCancelTest {
    private static MemorySegment timespec(Arena arena, long nanos) {
        MemorySegment ts = arena.allocate(KernelTimespec.LAYOUT);
        ts.set(JAVA_LONG, KernelTimespec.TV_SEC, nanos / 1_000_000_000L);
        ts.set(JAVA_LONG, KernelTimespec.TV_NSEC, nanos % 1_000_000_000L);
        return ts;
    }

    @Test
    void shouldExpireATimeoutWithEtime() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            long start = System.nanoTime();
            ring.sq().timeout(timespec(arena, 20_000_000L).address(), 0, 0, 1);
            Completion c = awaitOne(ring, "TIMEOUT of 20 ms");
            long elapsed = System.nanoTime() - start;
            assertThat(c).isEqualTo(new Completion(1, -Errno.ETIME, 0));
            assertThat(elapsed).as("a 20 ms timeout does not fire early").isGreaterThanOrEqualTo(20_000_000L);
        }
    }

    @Test
    void shouldCompleteACountedTimeoutWithZeroAfterThatManyCompletions() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            ring.sq().timeout(timespec(arena, 10_000_000_000L).address(), 2, 0, 1);
            ring.submit();
            ring.sq().nop(2);
            ring.sq().nop(3);
            List<Completion> got = await(ring, 3, "two NOPs and the counted TIMEOUT");
            assertThat(find(got, 1).res()).as("a satisfied counted timeout completes with 0").isZero();
        }
    }

    @Test
    void shouldCancelATimeoutWithTimeoutRemove() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            ring.sq().timeout(timespec(arena, 10_000_000_000L).address(), 0, 0, 1);
            ring.submit();
            ring.sq().timeoutRemove(1, 2);
            List<Completion> got = await(ring, 2, "TIMEOUT_REMOVE and the removed TIMEOUT");
            assertThat(find(got, 2).res()).as("TIMEOUT_REMOVE").isZero();
            assertThat(find(got, 1).res()).as("the removed timeout").isEqualTo(-Errno.ECANCELED);
        }
    }

    @Test
    void shouldFailTimeoutRemoveOfAnUnknownTimeoutWithEnoent() {
        try (Ring ring = TestRings.open(8)) {
            ring.sq().timeoutRemove(404, 2);
            assertThat(awaitOne(ring, "TIMEOUT_REMOVE of nothing").res()).isEqualTo(-Errno.ENOENT);
        }
    }

    @Test
    void shouldCancelALinkedReadOfAnEmptyPipeWhenItsLinkTimeoutExpires() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment in = arena.allocate(16);
            ring.sq().read(pipe[0], in.address(), 16, -1, 1);
            ring.sq().orFlagsOfLast(IoUringFlags.SQE_IO_LINK);
            ring.sq().linkTimeout(timespec(arena, 20_000_000L).address(), 0, 2);
            List<Completion> got = await(ring, 2, "linked READ and its LINK_TIMEOUT");
            assertThat(find(got, 1).res()).as("the read, cut short").isEqualTo(-Errno.ECANCELED);
            assertThat(find(got, 2).res()).as("the link timeout").isEqualTo(-Errno.ETIME);
        }
    }

    @Test
    void shouldCancelTheLinkTimeoutWhenTheLinkedReadCompletesFirst() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            TestRings.ok(Syscalls.write(pipe[1], TestRings.bytes(arena, "ready")), "pipe write");
            MemorySegment in = arena.allocate(16);
            ring.sq().read(pipe[0], in.address(), 16, -1, 1);
            ring.sq().orFlagsOfLast(IoUringFlags.SQE_IO_LINK);
            ring.sq().linkTimeout(timespec(arena, 10_000_000_000L).address(), 0, 2);
            List<Completion> got = await(ring, 2, "linked READ and its LINK_TIMEOUT");
            assertThat(find(got, 1).res()).as("the read").isEqualTo(5);
            assertThat(find(got, 2).res()).as("the disarmed link timeout").isEqualTo(-Errno.ECANCELED);
        }
    }

    @Test
    void shouldOrFlagsIntoTheLastSqeOnlyAfterOneWasPrepared() {
        try (Ring ring = TestRings.open(8)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.sq().orFlagsOfLast(IoUringFlags.SQE_IO_LINK))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldCancelAPendingReadWithAsyncCancel() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment in = arena.allocate(16);
            ring.sq().read(pipe[0], in.address(), 16, -1, 1);
            assertQuiet(ring, "the read of an empty pipe is pending");
            ring.sq().asyncCancel(1, 0, 2);
            List<Completion> got = await(ring, 2, "ASYNC_CANCEL and the cancelled READ");
            assertThat(find(got, 2).res()).as("ASYNC_CANCEL").isZero();
            assertThat(find(got, 1).res()).as("the cancelled read").isEqualTo(-Errno.ECANCELED);
        }
    }

    @Test
    void shouldCancelEveryMatchingRequestWithAsyncCancelAllAndCountThem() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment in = arena.allocate(16);
            for (int i = 0; i < 3; i++) {
                ring.sq().read(pipe[0], in.address(), 16, -1, 9);
            }
            ring.submit();
            ring.sq().asyncCancel(9, IoUringFlags.ASYNC_CANCEL_ALL, 2);
            List<Completion> got = await(ring, 4, "ASYNC_CANCEL(ALL) and three cancelled reads");
            assertThat(find(got, 2).res()).as("requests cancelled").isEqualTo(3);
            assertThat(got).filteredOn(c -> c.userData() == 9).extracting(Completion::res)
                    .containsOnly(-Errno.ECANCELED).hasSize(3);
        }
    }

    @Test
    void shouldFailAsyncCancelOfAnUnknownRequestWithEnoent() {
        try (Ring ring = TestRings.open(8)) {
            ring.sq().asyncCancel(404, 0, 2);
            assertThat(awaitOne(ring, "ASYNC_CANCEL of nothing").res()).isEqualTo(-Errno.ENOENT);
        }
    }
}
