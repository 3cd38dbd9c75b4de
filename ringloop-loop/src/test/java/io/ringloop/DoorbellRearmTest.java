package io.ringloop;

import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.Ring;
import io.ringloop.binding.Syscalls;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.ringloop.LoopTestSupport.agentOf;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.doorbellOf;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel ends a multishot poll when its CQE meets a full CQ; a doorbell that is not re-armed is deaf.
 */
class DoorbellRearmTest {
    private static final long FILLER = 0x7000_0000_0000_0000L;

    /** On the loop thread: fills the CQ, rings the eventfd and runs the poll's task work while the CQ is full. */
    static boolean overflowWhileDoorbellFires(EventLoop loop) {
        Ring ring = agentOf(loop).ring();
        EventfdPollDoorbell doorbell = (EventfdPollDoorbell) doorbellOf(loop);
        for (int i = 0; i < ring.cqEntries() + 2; i++) {
            if (!ring.sq().nop(FILLER)) {
                ring.submit();
                ring.sq().nop(FILLER);
            }
        }
        ring.submit();
        ring.getEvents();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            assertThat(Syscalls.write(doorbell.fd, one)).isEqualTo(8);
        }
        ring.getEvents();
        return (ring.sq().kernelFlags() & IoUringFlags.SQ_CQ_OVERFLOW) != 0;
    }

    @Test
    void shouldRearmDoorbellWhenKernelEndsMultishotPoll() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.EVENTFD_POLL_MULTISHOT).ringEntries(4).cqEntries(4)
                .spinNanos(0).build())) {
            WakeWord word = wordOf(loop);
            for (int round = 1; round <= 3; round++) {
                boolean overflowed = loop.submit(() -> overflowWhileDoorbellFires(loop)).get(10, TimeUnit.SECONDS);
                assertThat(overflowed).as("the CQ overflowed while the doorbell fired").isTrue();
                awaitArmed(loop, word, Duration.ofSeconds(10));
                LoopStats s = loop.stats();
                assertThat(s.cqOverflows()).as("overflow flushed").isGreaterThanOrEqualTo(round);
                assertThat(s.doorbellRearms()).as("doorbell re-armed after the kernel ended it")
                        .isGreaterThanOrEqualTo(round);
                // The loop now sleeps with maxPark = 30 s: only a live doorbell wakes it within the bound below.
                long start = System.nanoTime();
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS))
                        .as("execute woke the parked loop through the re-armed doorbell (round %d)", round).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }
}
