package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.ok;
import static io.ringloop.binding.TestRings.reapNow;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** What the kernel grants a ring, deferred task work as the SQ flags word shows it, and CQ overflow. */
class RingSetupTest {
    @Test
    void shouldGrantSingleIssuerDeferTaskrunAndTaskrunFlagOnThisKernel() {
        try (Ring ring = TestRings.openUnmasked(8)) {
            assertThat(SetupFlags.names(ring.setupFlags())).as("granted flags of %s", ring)
                    .contains("SINGLE_ISSUER", "DEFER_TASKRUN", "TASKRUN_FLAG", "NO_SQARRAY", "SUBMIT_ALL");
            assertThat(ring.has(SetupFlags.SINGLE_ISSUER | SetupFlags.DEFER_TASKRUN | SetupFlags.TASKRUN_FLAG))
                    .isTrue();
            assertThat(Features.names(ring.features())).as("features of %s", ring)
                    .contains("SINGLE_MMAP", "NODROP", "EXT_ARG", "CQE_SKIP", "NO_IOWAIT");
            assertThat(ring.mask()).isEqualTo(FeatureMask.NONE);
            assertThat(ring.syscalls()).isSameAs(SyscallLayer.NATIVE);
            assertThat(ring.fd()).isGreaterThanOrEqualTo(0);
            assertThat(ring.toString()).contains("DEFER_TASKRUN");
        }
    }

    @Test
    void shouldRoundRingSizesUpToPowersOfTwoWithACqTwiceTheSqByDefault() {
        try (Ring ring = Ring.open(RingOptions.of(5))) {
            assertThat(ring.sqEntries()).isEqualTo(8);
            assertThat(ring.cqEntries()).isEqualTo(16);
            assertThat(ring.sq().entries()).isEqualTo(8);
            assertThat(ring.cq().entries()).isEqualTo(16);
        }
        try (Ring ring = Ring.open(RingOptions.of(8).withCqEntries(100))) {
            assertThat(ring.has(SetupFlags.CQSIZE)).isTrue();
            assertThat(ring.cqEntries()).isEqualTo(128);
        }
    }

    @Test
    void shouldFlagDeferredTaskWorkWhenAnotherThreadWakesAPollAndClearItOnGetEvents() throws InterruptedException {
        try (Ring ring = TestRings.openUnmasked(8); Fds fds = new Fds(); Arena arena = Arena.ofShared()) {
            int efd = fds.eventfd();
            ring.sq().pollAdd(efd, IoUringFlags.POLLIN, false, 1);
            assertThat(ring.submit()).isEqualTo(1);
            assertThat(ring.needsGetEvents()).as("nothing pending yet").isFalse();

            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            Thread writer = Thread.ofPlatform().start(() -> Syscalls.write(efd, one));
            writer.join();

            assertThat(ring.sq().kernelFlags() & IoUringFlags.SQ_TASKRUN)
                    .as("IORING_SQ_TASKRUN after the eventfd write (flags 0x%x)", ring.sq().kernelFlags())
                    .isEqualTo(IoUringFlags.SQ_TASKRUN);
            assertThat(ring.needsGetEvents()).isTrue();
            assertThat(ring.cq().ready()).as("the poll CQE waits as task work, not in the CQ").isZero();

            assertThat(ring.getEvents()).isGreaterThanOrEqualTo(0);
            assertThat(ring.cq().ready()).isEqualTo(1);
            assertThat(ring.needsGetEvents()).as("GETEVENTS ran the task work").isFalse();
            List<Completion> got = reapNow(ring);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).res() & IoUringFlags.POLLIN).isEqualTo(IoUringFlags.POLLIN);
        }
    }

    @Test
    void shouldKeepEveryCqeThroughACqOverflowAndFlushThemWithGetEvents() {
        try (Ring ring = Ring.open(RingOptions.of(4).withCqEntries(4).withMask(FeatureMask.NONE))) {
            assertThat(ring.cqEntries()).isEqualTo(4);
            assertThat(ring.features() & Features.NODROP).isEqualTo(Features.NODROP);
            int total = 3 * ring.sqEntries();
            long next = 0;
            for (int batch = 0; batch < 3; batch++) {
                for (int i = 0; i < ring.sqEntries(); i++) {
                    assertThat(ring.sq().nop(next++)).isTrue();
                }
                int r = ring.submit();
                assertThat(r).as("submit of batch %d while the CQ is full: %s", batch, Errno.name(r))
                        .isEqualTo(ring.sqEntries());
            }
            assertThat(ring.cq().ready()).as("the CQ holds what fits").isEqualTo(ring.cqEntries());
            assertThat(ring.sq().kernelFlags() & IoUringFlags.SQ_CQ_OVERFLOW)
                    .as("IORING_SQ_CQ_OVERFLOW (flags 0x%x)", ring.sq().kernelFlags())
                    .isEqualTo(IoUringFlags.SQ_CQ_OVERFLOW);
            assertThat(ring.needsGetEvents()).isTrue();

            List<Long> got = new ArrayList<>();
            long deadline = System.nanoTime() + TestRings.WAIT_NANOS;
            int flushes = 0;
            while (got.size() < total) {
                ring.cq().reap((ud, res, fl) -> got.add(ud), Integer.MAX_VALUE);
                if (ring.needsGetEvents()) {
                    ok(ring.getEvents(), "getEvents");
                    flushes++;
                }
                if (System.nanoTime() > deadline) {
                    fail("only %d of %d CQEs after overflow: %s", got.size(), total, got);
                }
            }
            assertThat(got).as("every CQE, in order").containsExactlyElementsOf(
                    LongStream.range(0, total).boxed().toList());
            assertThat(flushes).as("each GETEVENTS flush moves what fits").isGreaterThanOrEqualTo(2);
            assertThat(ring.needsGetEvents()).isFalse();
            assertThat(ring.cq().overflow()).as("NODROP: nothing was dropped").isZero();
        }
    }

    @Test
    void shouldShareAsyncWorkersWithAttachWq() {
        try (Ring first = TestRings.open(8); Ring second = Ring.open(RingOptions.of(8).withAttachWq(first.fd()))) {
            assertThat(second.has(SetupFlags.ATTACH_WQ)).as("%s", second).isTrue();
            second.sq().nop(2);
            assertThat(awaitOne(second, "NOP on the attached ring")).isEqualTo(new Completion(2, 0, 0));
        }
    }

    @Test
    void shouldOpenWithoutAttachWqKeepingEveryOtherFlagWhenTheKernelRejectsTheAttach() {
        try (Fds fds = new Fds()) {
            int notARing = fds.eventfd();
            // EINVAL: an fd that is not an io_uring; ENXIO: an fd number that is not open at all.
            for (int wqFd : new int[] {notARing, 1_000_000}) {
                try (Ring ring = Ring.open(RingOptions.of(8).withMask(FeatureMask.NONE).withAttachWq(wqFd))) {
                    assertThat(ring.has(SetupFlags.ATTACH_WQ)).as("attach to fd %d", wqFd).isFalse();
                    assertThat(SetupFlags.names(ring.setupFlags())).as("flags kept with wq fd %d", wqFd)
                            .contains("SINGLE_ISSUER", "DEFER_TASKRUN", "TASKRUN_FLAG", "NO_SQARRAY");
                }
            }
        }
    }

    @Test
    void shouldNotAskForAttachWqWhenTheMaskHidesIt() {
        try (Ring first = TestRings.open(8);
                Ring second = Ring.open(RingOptions.of(8).withMask(FeatureMask.parse("ATTACH_WQ"))
                        .withAttachWq(first.fd()))) {
            assertThat(second.has(SetupFlags.ATTACH_WQ)).as("%s", second).isFalse();
        }
    }

    @Test
    void shouldRevokeAnUnsubmittedSqeIntoANopThatPostsNothingWithCqeSkipSuccess() {
        try (Ring ring = TestRings.openUnmasked(8)) {
            // A MSG_RING to our own ring that would post user_data 77 if it ever ran.
            assertThat(ring.sq().msgRing(ring.fd(), 0, 77, 0, 78)).isTrue();
            ring.sq().orFlagsOfLast(IoUringFlags.SQE_CQE_SKIP_SUCCESS);
            assertThat(ring.sq().lastConsumed()).isFalse();
            assertThat(ring.sq().revokeLast()).isTrue();
            ring.sq().nop(79);
            assertThat(ring.submit()).isEqualTo(2);
            assertThat(ring.sq().lastConsumed()).isTrue();
            assertThat(ring.sq().revokeLast()).as("consumed: too late to revoke").isFalse();
            assertThat(awaitOne(ring, "the NOP after the revoked SQE")).isEqualTo(new Completion(79, 0, 0));
            ring.getEvents();
            assertThat(reapNow(ring)).as("nothing from the revoked MSG_RING").isEmpty();
        }
    }

    @Test
    void shouldRejectSubmissionFromAnotherThreadWithEexistUnderSingleIssuer() throws InterruptedException {
        try (Ring ring = TestRings.openUnmasked(8)) {
            ring.sq().nop(1);
            AtomicInteger fromOther = new AtomicInteger();
            Thread other = Thread.ofPlatform().start(() -> fromOther.set(ring.submit()));
            other.join();
            assertThat(fromOther.get()).as("submit from a non-owner thread: %s", Errno.name(fromOther.get()))
                    .isEqualTo(-Errno.EEXIST);
            assertThat(awaitOne(ring, "the NOP, submitted by the owner")).isEqualTo(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldRefuseSubmissionToADisabledRingUntilEnabled() {
        int flags = RingOptions.STRONGEST | SetupFlags.R_DISABLED;
        try (Ring ring = Ring.open(RingOptions.of(8).withFlags(flags).withMask(FeatureMask.NONE))) {
            assertThat(ring.has(SetupFlags.R_DISABLED)).isTrue();
            ring.sq().nop(1);
            assertThat(ring.submit()).as("submit to a disabled ring").isEqualTo(-Errno.EBADFD);
            ring.enable();
            assertThat(awaitOne(ring, "the NOP after enable")).isEqualTo(new Completion(1, 0, 0));
        }
    }
}
