package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.find;
import static io.ringloop.binding.TestRings.reapNow;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rings opened with parts of the kernel masked still work, through the fallback paths. */
class FeatureMaskTest {
    private static Ring openMasked(String spec) {
        return Ring.open(RingOptions.of(8).withMask(FeatureMask.parse(spec)));
    }

    /** A syscall layer that records the flags of every io_uring_enter. */
    private static final class RecordingLayer implements SyscallLayer {
        final List<Integer> enterFlags = new ArrayList<>();
        final List<Integer> toSubmit = new ArrayList<>();

        @Override
        public long ioUringEnter(int ringFd, int submit, int minComplete, int flags, long arg, long argSize) {
            enterFlags.add(flags);
            toSubmit.add(submit);
            return SyscallLayer.NATIVE.ioUringEnter(ringFd, submit, minComplete, flags, arg, argSize);
        }
    }

    @Test
    void shouldNotGrantDeferTaskrunWhenItIsMasked() {
        try (Ring ring = openMasked("DEFER_TASKRUN")) {
            assertThat(ring.has(SetupFlags.DEFER_TASKRUN)).as("%s", ring).isFalse();
            assertThat(ring.has(SetupFlags.SINGLE_ISSUER)).as("%s", ring).isTrue();
            assertThat(ring.has(SetupFlags.COOP_TASKRUN)).as("%s", ring).isTrue();
            ring.sq().nop(1);
            assertThat(awaitOne(ring, "NOP")).isEqualTo(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldPostPollCqesFromAnotherThreadWithoutDeferTaskrun() throws InterruptedException {
        try (Ring ring = openMasked("DEFER_TASKRUN"); Fds fds = new Fds(); Arena arena = Arena.ofShared()) {
            int efd = fds.eventfd();
            ring.sq().pollAdd(efd, IoUringFlags.POLLIN, true, 3);
            ring.submit();
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            Thread writer = Thread.ofPlatform().start(() -> Syscalls.write(efd, one));
            writer.join();
            Completion c = awaitOne(ring, "multishot poll wake on a COOP_TASKRUN ring");
            assertThat(c.more()).isTrue();
        }
    }

    @Test
    void shouldDropDeferTaskrunWithItsPrerequisiteSingleIssuerMasked() throws InterruptedException {
        try (Ring ring = openMasked("SINGLE_ISSUER")) {
            assertThat(ring.has(SetupFlags.SINGLE_ISSUER)).as("%s", ring).isFalse();
            assertThat(ring.has(SetupFlags.DEFER_TASKRUN)).as("%s", ring).isFalse();
            ring.sq().nop(1);
            AtomicInteger fromOther = new AtomicInteger();
            Thread other = Thread.ofPlatform().start(() -> fromOther.set(ring.submit()));
            other.join();
            assertThat(fromOther.get()).as("any thread may submit without SINGLE_ISSUER: %s",
                    Errno.name(fromOther.get())).isEqualTo(1);
            assertThat(awaitOne(ring, "NOP submitted by another thread")).isEqualTo(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldUseTheSqIndirectionArrayWhenNoSqarrayIsMasked() {
        try (Ring ring = openMasked("NO_SQARRAY")) {
            assertThat(ring.has(SetupFlags.NO_SQARRAY)).as("%s", ring).isFalse();
            List<Completion> got = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < ring.sqEntries(); i++) {
                    ring.sq().nop(round * 100L + i);
                }
                got.addAll(await(ring, ring.sqEntries(), "NOP round " + round + " through the SQ array"));
            }
            assertThat(got).hasSize(10 * ring.sqEntries()).allSatisfy(c -> assertThat(c.res()).isZero());
            assertThat(got.get(got.size() - 1).userData()).isEqualTo(907);
            assertThat(ring.sq().dropped()).as("SQEs dropped as invalid").isZero();
        }
    }

    @Test
    void shouldReportMaskedOpcodesAsUnsupportedInTheProbe() {
        try (Ring plain = TestRings.openUnmasked(8); Ring masked = openMasked("FUTEX_WAIT, msg_ring")) {
            assertThat(plain.probe().supports(Opcode.FUTEX_WAIT)).isTrue();
            assertThat(plain.probe().supports(Opcode.MSG_RING)).isTrue();
            assertThat(masked.probe().supports(Opcode.FUTEX_WAIT)).isFalse();
            assertThat(masked.probe().supports(Opcode.MSG_RING)).isFalse();
            assertThat(masked.probe().supports(Opcode.FUTEX_WAKE)).isTrue();
            assertThat(masked.probe().supports(Opcode.NOP)).isTrue();
            assertThat(masked.probe().supportedNames()).doesNotContain("FUTEX_WAIT", "MSG_RING").contains("NOP");
            assertThat(masked.probe().lastOp()).isEqualTo(plain.probe().lastOp());
            assertThat(masked.probe()).as("probed once").isSameAs(masked.probe());
        }
    }

    @Test
    void shouldClearMaskedFeatureBits() {
        try (Ring ring = openMasked("EXT_ARG,NO_IOWAIT")) {
            assertThat(ring.features() & Features.EXT_ARG).isZero();
            assertThat(ring.features() & Features.NO_IOWAIT).isZero();
            assertThat(ring.features() & Features.NODROP).isEqualTo(Features.NODROP);
        }
    }

    @Test
    void shouldTimeOutThroughTheInternalTimeoutSqeWhenExtArgIsMasked() {
        RecordingLayer layer = new RecordingLayer();
        try (Ring ring = Ring.open(RingOptions.of(8).withMask(FeatureMask.parse("EXT_ARG")).withSyscalls(layer))) {
            long start = System.nanoTime();
            int r = ring.submitAndWait(1, 30_000_000L);
            long elapsed = System.nanoTime() - start;
            assertThat(r).as("submitAndWait returns the SQEs it submitted (the internal timeout): %s",
                    Errno.name(r)).isEqualTo(1);
            assertThat(elapsed).as("it waited for the 30 ms timeout").isGreaterThanOrEqualTo(30_000_000L)
                    .isLessThan(TestRings.WAIT_NANOS);
            assertThat(layer.enterFlags).as("no enter used EXT_ARG")
                    .allSatisfy(f -> assertThat(f & IoUringFlags.ENTER_EXT_ARG).isZero());
            assertThat(reapNow(ring)).as("the internal timeout's CQE is never handed to the handler").isEmpty();
            assertThat(ring.cq().ready()).isZero();
        }
    }

    @Test
    void shouldHandOnlyRealCqesWhenAWaitEndsBeforeItsInternalTimeout() {
        try (Ring ring = openMasked("EXT_ARG")) {
            for (int i = 0; i < 20; i++) {
                ring.sq().nop(i);
                int r = ring.submitAndWait(1, 5_000_000_000L);
                assertThat(r).as("wait %d: %s", i, Errno.name(r)).isGreaterThanOrEqualTo(1);
                List<Completion> got = reapNow(ring);
                assertThat(got).as("wait %d", i).extracting(Completion::userData).containsOnly((long) i);
            }
        }
    }

    @Test
    void shouldKeepAtMostOneInternalTimeoutArmedAcrossWaitsWhenExtArgIsMasked() {
        try (Ring ring = openMasked("EXT_ARG")) {
            for (int i = 0; i < 6; i++) {
                ring.sq().nop(i);
                int r = ring.submitAndWait(1, 10_000_000_000L);
                assertThat(r).as("wait %d: %s", i, Errno.name(r)).isGreaterThanOrEqualTo(1);
                assertThat(reapNow(ring)).extracting(Completion::userData).containsOnly((long) i);
            }
            // Each wait that ended early left its 10 s timeout armed until the next wait removed it: count the
            // internal timeouts still armed by cancelling them all.
            ring.sq().asyncCancel(Ring.INTERNAL_TIMEOUT_USER_DATA, IoUringFlags.ASYNC_CANCEL_ALL, 99);
            Completion cancel = find(await(ring, 1, "ASYNC_CANCEL(ALL) of the internal timeouts"), 99);
            assertThat(cancel.res()).as("internal timeouts still armed after 6 waits").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldWaitTheFullTimeoutAfterAWaitThatEndedEarlyWhenExtArgIsMasked() {
        long quiet = 60_000_000L;
        try (Ring ring = openMasked("EXT_ARG")) {
            ring.sq().nop(1);
            assertThat(ring.submitAndWait(1, 5_000_000_000L)).isGreaterThanOrEqualTo(1);
            assertThat(reapNow(ring)).extracting(Completion::userData).containsExactly(1L);
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                int r = ring.submitAndWait(1, quiet);
                long elapsed = System.nanoTime() - start;
                assertThat(r).as("quiet wait %d: %s", i, Errno.name(r)).isGreaterThanOrEqualTo(0);
                assertThat(elapsed).as("quiet wait %d of 60 ms after an early-ended wait returned after %d us",
                        i, elapsed / 1000).isGreaterThanOrEqualTo(quiet);
                assertThat(reapNow(ring)).as("quiet wait %d hands nothing over", i).isEmpty();
            }
        }
    }

    @Test
    void shouldRearmTheInternalTimeoutWhenTheLastOneFiredBeforeTheNextWaitWhenExtArgIsMasked() {
        try (Ring ring = openMasked("EXT_ARG")) {
            assertThat(ring.submitAndWait(1, 10_000_000L)).isGreaterThanOrEqualTo(0);
            // Not reaped: the fired timeout's CQE is still in the CQ when the next wait tries to move it.
            assertThat(ring.submitAndWait(1, 10_000_000L)).isGreaterThanOrEqualTo(0);
            assertThat(reapNow(ring)).as("internal CQEs (the expiry, the failed update) are swallowed").isEmpty();

            long start = System.nanoTime();
            assertThat(ring.submitAndWait(1, 60_000_000L)).isGreaterThanOrEqualTo(0);
            assertThat(System.nanoTime() - start).as("a fresh internal timeout bounds the next wait")
                    .isGreaterThanOrEqualTo(60_000_000L).isLessThan(TestRings.WAIT_NANOS);
            assertThat(reapNow(ring)).isEmpty();

            ring.sq().nop(5);
            assertThat(awaitOne(ring, "NOP after the timeouts")).isEqualTo(new Completion(5, 0, 0));
        }
    }

    @Test
    void shouldRejectAnUnknownNameAndNameIt() {
        assertThatThrownBy(() -> FeatureMask.parse("DEFER_TASKRUN,BOGUS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'BOGUS'")
                .hasMessageContaining(FeatureMask.PROPERTY);
    }

    @Test
    void shouldParseNamesOfEveryKindCaseInsensitively() {
        FeatureMask m = FeatureMask.parse(" defer_taskrun , EXT_ARG,,futex_wait, send_msg_ring ");
        assertThat(m.setupFlags()).isEqualTo(SetupFlags.DEFER_TASKRUN);
        assertThat(m.features()).isEqualTo(Features.EXT_ARG);
        assertThat(m.masksOpcode(Opcode.FUTEX_WAIT)).isTrue();
        assertThat(m.masksOpcode(Opcode.FUTEX_WAKE)).isFalse();
        assertThat(m.masks("SEND_MSG_RING")).isTrue();
        assertThat(m.masks("register_ring_fds")).isFalse();
        assertThat(FeatureMask.parse(null)).isEqualTo(FeatureMask.NONE);
        assertThat(FeatureMask.parse("  ")).isEqualTo(FeatureMask.NONE);
    }

    @Test
    void shouldCombineMasks() {
        FeatureMask m = FeatureMask.parse("DEFER_TASKRUN,MSG_RING").and(FeatureMask.parse("EXT_ARG,SEND_MSG_RING"));
        assertThat(m).isEqualTo(FeatureMask.parse("MSG_RING,EXT_ARG,DEFER_TASKRUN,SEND_MSG_RING"));
    }

    @Test
    void shouldReadTheMaskFromTheSystemProperty() {
        String before = System.getProperty(FeatureMask.PROPERTY);
        String profile = System.getProperty(FeatureMask.PROFILE_PROPERTY);
        System.clearProperty(FeatureMask.PROFILE_PROPERTY);
        try {
            System.setProperty(FeatureMask.PROPERTY, "DEFER_TASKRUN,FUTEX_WAIT");
            assertThat(FeatureMask.fromSystemProperty()).isEqualTo(FeatureMask.parse("FUTEX_WAIT,DEFER_TASKRUN"));
            try (Ring ring = Ring.open(RingOptions.of(8))) {
                assertThat(ring.has(SetupFlags.DEFER_TASKRUN)).as("%s", ring).isFalse();
                assertThat(ring.probe().supports(Opcode.FUTEX_WAIT)).isFalse();
            }
            System.setProperty(FeatureMask.PROPERTY, "BOGUS");
            assertThatThrownBy(() -> RingOptions.of(8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BOGUS");
            System.clearProperty(FeatureMask.PROPERTY);
            assertThat(FeatureMask.fromSystemProperty()).isEqualTo(FeatureMask.NONE);
        } finally {
            if (before == null) {
                System.clearProperty(FeatureMask.PROPERTY);
            } else {
                System.setProperty(FeatureMask.PROPERTY, before);
            }
            if (profile != null) {
                System.setProperty(FeatureMask.PROFILE_PROPERTY, profile);
            }
        }
    }
}
