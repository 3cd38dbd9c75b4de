package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.ringloop.binding.TestRings.awaitOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad arguments throw at the public edge; bad fds come back as -errno in the CQE; a closed ring refuses use. */
class BadInputTest {
    @Test
    void shouldCompleteAReadOnABadFdWithEbadf() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(8);
            ring.sq().read(999_999, in.address(), 8, -1, 77);
            Completion c = awaitOne(ring, "READ on a bad fd");
            assertThat(c.userData()).isEqualTo(77);
            assertThat(c.res()).isEqualTo(-Errno.EBADF);
            assertThat(Errno.name(c.res())).isEqualTo("EBADF");
        }
    }

    @Test
    void shouldRejectZeroOrTooManySqEntries() {
        assertThatThrownBy(() -> RingOptions.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sqEntries").hasMessageContaining("was 0");
        assertThatThrownBy(() -> RingOptions.of(40_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 40000");
        assertThatThrownBy(() -> RingOptions.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> RingOptions.of(RingOptions.MAX_SQ_ENTRIES)).doesNotThrowAnyException();
    }

    @Test
    void shouldRejectACqSmallerThanTheSqOrLargerThanTheKernelMaximum() {
        assertThatThrownBy(() -> RingOptions.of(8).withCqEntries(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cqEntries");
        assertThatThrownBy(() -> RingOptions.of(8).withCqEntries(RingOptions.MAX_CQ_ENTRIES + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> RingOptions.of(8).withCqEntries(0)).doesNotThrowAnyException();
    }

    @Test
    void shouldRejectNullMaskOrSyscallLayer() {
        assertThatThrownBy(() -> RingOptions.of(8).withMask(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("mask");
        assertThatThrownBy(() -> RingOptions.of(8).withSyscalls(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("syscalls");
    }

    @Test
    void shouldRejectANegativeTimeoutOrNoCompletionToWaitFor() {
        try (Ring ring = TestRings.open(8)) {
            assertThatThrownBy(() -> ring.submitAndWait(1, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> ring.submitAndWait(0, 1_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minComplete");
        }
    }

    @Test
    void shouldReturnEtimeFromAWaitThatTimesOut() {
        try (Ring ring = TestRings.openUnmasked(8)) {
            assertThat(ring.submitAndWait(1, 0)).as("a zero timeout").isEqualTo(-Errno.ETIME);
            assertThat(ring.submitAndWait(1, 5_000_000L)).as("a 5 ms timeout").isEqualTo(-Errno.ETIME);
        }
    }

    @Test
    void shouldRefuseUseAfterClose() {
        Ring ring = TestRings.open(8);
        SubmissionQueue sq = ring.sq();
        CompletionQueue cq = ring.cq();
        ring.close();
        assertThat(ring.isClosed()).isTrue();
        assertThatThrownBy(ring::submit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(ring::getEvents).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ring.submitAndWait(1, 1_000)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ring::probe).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ring.register(RegisterOp.REGISTER_PROBE, MemorySegment.NULL, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sq.nop(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cq.reap((ud, res, fl) -> { }, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCloseTwiceWithoutError() {
        Ring ring = TestRings.open(8);
        ring.close();
        assertThatCode(ring::close).doesNotThrowAnyException();
        assertThat(ring.isClosed()).isTrue();
    }

    @Test
    void shouldConsumeTheCqesBeforeAndIncludingOneWhoseHandlerThrows() {
        try (Ring ring = TestRings.open(8)) {
            for (int i = 0; i < 3; i++) {
                ring.sq().nop(i);
            }
            ring.submit();
            while (ring.cq().ready() < 3) {
                assertThat(ring.submitAndWait(3, TestRings.WAIT_NANOS)).isNotEqualTo(-Errno.ETIME);
            }
            assertThatThrownBy(() -> ring.cq().reap((ud, res, fl) -> {
                if (ud == 1) {
                    throw new IllegalStateException("handler failed on " + ud);
                }
            }, 16)).hasMessage("handler failed on 1");
            assertThat(TestRings.reapNow(ring)).extracting(Completion::userData).containsExactly(2L);
        }
    }
}
