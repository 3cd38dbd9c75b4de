package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static io.ringloop.binding.TestRings.assertQuiet;
import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.find;
import static io.ringloop.binding.TestRings.ok;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** NOP, POLL_ADD (one-shot and multishot) and POLL_REMOVE against real eventfds and pipes. */
class NopAndPollTest {
    @Test
    void shouldRoundTripNopWithUserDataAndZeroResult() {
        try (Ring ring = TestRings.open(8)) {
            assertThat(ring.sq().nop(42)).isTrue();
            // SQEs consumed: 1, or 2 with the internal wait timeout when EXT_ARG is masked
            assertThat(ring.submitAndWait(1, TestRings.WAIT_NANOS)).as("SQEs submitted").isBetween(1, 2);
            List<Completion> got = TestRings.reapNow(ring);
            assertThat(got).containsExactly(new Completion(42, 0, 0));
        }
    }

    @Test
    void shouldReturnEveryNopAcrossManyWrapsOfTheRings() {
        try (Ring ring = TestRings.open(4)) {
            List<Completion> got = new ArrayList<>();
            long next = 0;
            for (int round = 0; round < 50; round++) {
                int batch = 1 + round % ring.sqEntries();
                for (int i = 0; i < batch; i++) {
                    assertThat(ring.sq().nop(next++)).as("SQ slot for NOP %d", next - 1).isTrue();
                }
                got.addAll(await(ring, batch, "NOP batch " + round));
            }
            assertThat(got).extracting(Completion::userData)
                    .containsExactlyElementsOf(LongStream.range(0, next).boxed().toList());
            assertThat(got).allSatisfy(c -> assertThat(c.res()).isZero());
        }
    }

    @Test
    void shouldRefuseAnSqeWhenTheSubmissionQueueIsFull() {
        try (Ring ring = TestRings.open(4)) {
            int entries = ring.sq().entries();
            for (int i = 0; i < entries; i++) {
                assertThat(ring.sq().nop(i)).isTrue();
            }
            assertThat(ring.sq().available()).isZero();
            assertThat(ring.sq().nop(99)).as("prep into a full SQ").isFalse();
            assertThat(await(ring, entries, "a full SQ of NOPs")).hasSize(entries);
            assertThat(ring.sq().available()).isEqualTo(entries);
        }
    }

    @Test
    void shouldCompleteOneShotPollOnEventfdWriteWithoutMore() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int efd = fds.eventfd();
            ring.sq().pollAdd(efd, IoUringFlags.POLLIN, false, 7);
            assertQuiet(ring, "no CQE before the eventfd is written");
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            ok(Syscalls.write(efd, one), "eventfd write");
            Completion c = awaitOne(ring, "one-shot poll on eventfd");
            assertThat(c.userData()).isEqualTo(7);
            assertThat(c.res() & IoUringFlags.POLLIN).as("revents of %s", c).isEqualTo(IoUringFlags.POLLIN);
            assertThat(c.more()).as("one-shot poll CQE has no F_MORE: %s", c).isFalse();
            ok(Syscalls.write(efd, one), "eventfd write");
            assertQuiet(ring, "a one-shot poll is gone after its CQE");
        }
    }

    @Test
    void shouldPostMultishotPollCqesWithMoreOnEachEventfdWrite() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int efd = fds.eventfd();
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            ring.sq().pollAdd(efd, IoUringFlags.POLLIN, true, 11);
            assertQuiet(ring, "no CQE before the eventfd is written");
            for (int i = 0; i < 3; i++) {
                ok(Syscalls.write(efd, one), "eventfd write " + i);
                Completion c = awaitOne(ring, "multishot poll wake " + i);
                assertThat(c.userData()).isEqualTo(11);
                assertThat(c.res() & IoUringFlags.POLLIN).as("revents of %s", c).isEqualTo(IoUringFlags.POLLIN);
                assertThat(c.more()).as("multishot poll CQE %d keeps F_MORE: %s", i, c).isTrue();
            }
        }
    }

    @Test
    void shouldEndMultishotPollWithoutMoreAfterPollRemove() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int efd = fds.eventfd();
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            ring.sq().pollAdd(efd, IoUringFlags.POLLIN, true, 11);
            ring.submit();
            ok(Syscalls.write(efd, one), "eventfd write");
            assertThat(awaitOne(ring, "multishot poll wake").more()).isTrue();

            ring.sq().pollRemove(11, 12);
            List<Completion> got = await(ring, 2, "POLL_REMOVE and the poll's final CQE");
            Completion remove = find(got, 12);
            Completion last = find(got, 11);
            assertThat(remove.res()).as("POLL_REMOVE result: %s", remove).isZero();
            assertThat(last.res()).as("final poll CQE: %s", last).isEqualTo(-Errno.ECANCELED);
            assertThat(last.more()).as("final poll CQE has no F_MORE: %s", last).isFalse();

            ok(Syscalls.write(efd, one), "eventfd write after removal");
            assertQuiet(ring, "a removed poll posts nothing more");
        }
    }

    @Test
    void shouldFailPollRemoveOfAnUnknownPollWithEnoent() {
        try (Ring ring = TestRings.open(8)) {
            ring.sq().pollRemove(12345, 1);
            Completion c = awaitOne(ring, "POLL_REMOVE of nothing");
            assertThat(c.res()).as("%s", c).isEqualTo(-Errno.ENOENT);
        }
    }

    @Test
    void shouldPostMultishotPollCqesOnPipeWritesUntilRemoved() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment bytes = TestRings.bytes(arena, "x");
            ring.sq().pollAdd(pipe[0], IoUringFlags.POLLIN, true, 5);
            ring.submit();
            for (int i = 0; i < 3; i++) {
                ok(Syscalls.write(pipe[1], bytes), "pipe write " + i);
                Completion c = awaitOne(ring, "multishot poll on pipe, write " + i);
                assertThat(c.res() & IoUringFlags.POLLIN).isEqualTo(IoUringFlags.POLLIN);
                assertThat(c.more()).as("%s", c).isTrue();
            }
            ring.sq().pollRemove(5, 6);
            List<Completion> got = await(ring, 2, "POLL_REMOVE and the final poll CQE");
            assertThat(find(got, 6).res()).isZero();
            assertThat(find(got, 5).more()).isFalse();
        }
    }

    @Test
    void shouldEndMultishotPollWithoutMoreWhenItsCqeFindsTheCqFull() {
        try (Ring ring = Ring.open(RingOptions.of(2).withCqEntries(2));
                Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int efd = fds.eventfd();
            ring.sq().pollAdd(efd, IoUringFlags.POLLIN, true, 100);
            assertThat(ring.submit()).isEqualTo(1);
            for (int i = 0; i < ring.cqEntries(); i++) {
                ring.sq().nop(i);
                assertThat(ring.submit()).isEqualTo(1);
            }
            assertThat(ring.cq().ready()).as("the CQ is full of NOPs").isEqualTo(ring.cqEntries());
            ok(Syscalls.write(efd, arena.allocateFrom(JAVA_LONG, 1L)), "eventfd write");
            ok(ring.getEvents(), "getEvents");

            List<Completion> got = new ArrayList<>();
            long deadline = System.nanoTime() + TestRings.WAIT_NANOS;
            while (got.stream().noneMatch(c -> c.userData() == 100) && System.nanoTime() < deadline) {
                got.addAll(TestRings.reapNow(ring));
                ok(ring.getEvents(), "getEvents");
            }
            Completion last = find(got, 100);
            assertThat(last.more()).as("a multishot poll whose CQE did not fit ends: %s", last).isFalse();
            assertThat(last.res() & IoUringFlags.POLLIN).as("its res still holds the event mask: %s", last)
                    .isEqualTo(IoUringFlags.POLLIN);
            ok(Syscalls.write(efd, arena.allocateFrom(JAVA_LONG, 1L)), "eventfd write after the end");
            assertQuiet(ring, "an ended multishot poll must be re-armed by the app");
        }
    }

    @Test
    void shouldCompletePollOutAtOnceOnAWritablePipe() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds()) {
            int[] pipe = fds.pipe();
            ring.sq().pollAdd(pipe[1], IoUringFlags.POLLOUT, false, 3);
            Completion c = awaitOne(ring, "POLLOUT on an empty pipe");
            assertThat(c.res() & IoUringFlags.POLLOUT).as("%s", c).isEqualTo(IoUringFlags.POLLOUT);
        }
    }
}
