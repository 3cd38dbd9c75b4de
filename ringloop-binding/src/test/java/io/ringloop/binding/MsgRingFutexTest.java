package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.ringloop.binding.TestRings.assertQuiet;
import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.find;
import static io.ringloop.binding.TestRings.reapNow;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/** MSG_RING between two rings, and FUTEX_WAIT / FUTEX_WAKE on a native 32-bit word. */
class MsgRingFutexTest {
    private static final int U32 = Futex.FUTEX2_SIZE_U32;
    private static final long ANY = Futex.FUTEX_BITSET_MATCH_ANY;

    @Test
    void shouldPostAMessageIntoAnotherRingWithResAndUserData() {
        try (Ring sender = TestRings.open(8); Ring target = TestRings.open(8)) {
            sender.sq().msgRing(target.fd(), 1234, 0xCAFE_BABE_0000_0001L, 0, 1);
            Completion sent = awaitOne(sender, "the sender's MSG_RING CQE");
            assertThat(sent).isEqualTo(new Completion(1, 0, 0));
            Completion got = awaitOne(target, "the message in the target ring");
            assertThat(got).isEqualTo(new Completion(0xCAFE_BABE_0000_0001L, 1234, 0));
        }
    }

    @Test
    void shouldHoldAMessageIntoADeferTaskrunTargetUntilItEntersWithGetevents() {
        try (Ring sender = TestRings.openUnmasked(8); Ring target = TestRings.openUnmasked(8)) {
            assertThat(target.has(SetupFlags.DEFER_TASKRUN)).isTrue();
            sender.sq().msgRing(target.fd(), 7, 77, 0, 1);
            assertThat(awaitOne(sender, "the sender's MSG_RING CQE").res()).isZero();

            assertThat(target.cq().ready()).as("no CQE in a DEFER_TASKRUN target before it enters").isZero();
            assertThat(target.sq().kernelFlags() & IoUringFlags.SQ_TASKRUN)
                    .as("the kernel flags the target's pending task work").isEqualTo(IoUringFlags.SQ_TASKRUN);
            assertThat(target.needsGetEvents()).isTrue();

            assertThat(target.getEvents()).isGreaterThanOrEqualTo(0);
            assertThat(reapNow(target)).containsExactly(new Completion(77, 7, 0));
            assertThat(target.needsGetEvents()).isFalse();
        }
    }

    @Test
    void shouldSkipTheSendersCqeWithCqeSkipSuccess() {
        try (Ring sender = TestRings.open(8); Ring target = TestRings.open(8)) {
            sender.sq().msgRing(target.fd(), 1, 2, 0, 1);
            sender.sq().orFlagsOfLast(IoUringFlags.SQE_CQE_SKIP_SUCCESS);
            assertThat(sender.submit()).isEqualTo(1);
            assertThat(awaitOne(target, "the message").userData()).isEqualTo(2);
            assertQuiet(sender, "a successful MSG_RING with CQE_SKIP_SUCCESS posts nothing to the sender");
        }
    }

    @Test
    void shouldFailMsgRingToANonRingFdWithEbadfd() {
        try (Ring sender = TestRings.open(8); TestRings.Fds fds = new TestRings.Fds()) {
            int efd = fds.eventfd();
            sender.sq().msgRing(efd, 1, 2, 0, 1);
            assertThat(awaitOne(sender, "MSG_RING to an eventfd").res()).isEqualTo(-Errno.EBADFD);
        }
    }

    @Test
    void shouldWakeAFutexWaitWithAFutexWakeSqe() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.sq().futexWait(word.address(), 0, ANY, U32, 1);
            assertQuiet(ring, "FUTEX_WAIT on a word holding the expected value sleeps");
            word.set(JAVA_INT, 0, 1);
            ring.sq().futexWake(word.address(), 1, ANY, U32, 2);
            List<Completion> got = await(ring, 2, "FUTEX_WAKE and the woken FUTEX_WAIT");
            assertThat(find(got, 2).res()).as("waiters woken").isEqualTo(1);
            assertThat(find(got, 1).res()).as("the woken wait").isZero();
        }
    }

    @Test
    void shouldWakeAPrivateFutexWaitWithAFutexWakeSqe() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            int flags = U32 | Futex.FUTEX2_PRIVATE;
            ring.sq().futexWait(word.address(), 0, ANY, flags, 1);
            ring.submit();
            ring.sq().futexWake(word.address(), 1, ANY, flags, 2);
            List<Completion> got = await(ring, 2, "private FUTEX_WAKE and the woken FUTEX_WAIT");
            assertThat(find(got, 2).res()).as("waiters woken").isEqualTo(1);
            assertThat(find(got, 1).res()).isZero();
        }
    }

    @Test
    void shouldWakeAFutexWaitWithTheFutexWakeSyscallFromAnotherThread() throws InterruptedException {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.sq().futexWait(word.address(), 0, ANY, U32, 1);
            assertThat(ring.submit()).isEqualTo(1);
            AtomicLong woken = new AtomicLong(Long.MIN_VALUE);
            Thread waker = Thread.ofPlatform().start(() -> {
                word.set(JAVA_INT, 0, 1);
                woken.set(SyscallLayer.NATIVE.futexWake(word.address(), ANY, 1, U32));
            });
            waker.join();
            assertThat(woken.get()).as("futex_wake(2) result: %s", Errno.name((int) woken.get())).isEqualTo(1);
            assertThat(awaitOne(ring, "FUTEX_WAIT woken by futex_wake(2)")).isEqualTo(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldCompleteFutexWaitAtOnceWithEagainWhenTheWordIsStale() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocateFrom(JAVA_INT, 5);
            ring.sq().futexWait(word.address(), 4, ANY, U32, 1);
            assertThat(awaitOne(ring, "FUTEX_WAIT on a stale value")).isEqualTo(new Completion(1, -Errno.EAGAIN, 0));
        }
    }

    @Test
    void shouldReportNoWaitersWokenWhenNobodyWaits() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.sq().futexWake(word.address(), 1, ANY, U32, 1);
            assertThat(awaitOne(ring, "FUTEX_WAKE with no waiter").res()).isZero();
            assertThat(SyscallLayer.NATIVE.futexWake(word.address(), ANY, 1, U32)).isZero();
        }
    }

    @Test
    void shouldRejectAFullWidthMaskForA32BitFutexWake() {
        // SyscallLayer.futexWake's mask must fit the futex size: -1L is not "any" for a u32 futex.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            assertThat(SyscallLayer.NATIVE.futexWake(word.address(), -1L, 1, U32)).isEqualTo(-Errno.EINVAL);
        }
    }
}
