package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.RegisterOp;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SyscallLayer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.ringloop.LoopTestSupport.agentOf;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.doorbellOf;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendMsgRingDoorbellTest {
    private static final long FILLER = 0x7000_0000_0000_0000L;

    @Test
    void shouldDeliverADoorbellMessageThatOverflowedOnceTheOverflowIsFlushed() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.SEND_MSG_RING).ringEntries(4).cqEntries(4).spinNanos(0)
                .build())) {
            SendMsgRingDoorbell doorbell = (SendMsgRingDoorbell) doorbellOf(loop);
            // Hold the loop busy, so that submitting the overflow task rings nothing: every message but the test's
            // own has then been sent (the blocker's, if any, before execute() returned).
            CountDownLatch release = LoopTestSupport.holdTheLoop(loop);
            long[] sentBefore = new long[1];
            CompletableFuture<Boolean> overflow = loop.submit(() -> {
                Ring ring = agentOf(loop).ring();
                // Post any message still in flight, then fill the CQ (the loop may have SQEs pending, which take
                // slots of their own or none, so count what is really there).
                ring.getEvents();
                for (int i = 0; i < 64 && ring.cq().ready() < ring.cqEntries(); i++) {
                    ring.sq().nop(FILLER);
                    ring.submit();
                }
                sentBefore[0] = doorbell.rung();
                // A ringless message from another thread while our CQ is full: it must go to the overflow list.
                Thread t = new Thread(doorbell::ring);
                t.start();
                t.join();
                ring.getEvents();
                return (ring.sq().kernelFlags() & IoUringFlags.SQ_CQ_OVERFLOW) != 0;
            });
            release.countDown();
            assertThat(overflow.get(10, TimeUnit.SECONDS)).as("the message met a full CQ").isTrue();
            long expected = sentBefore[0] + 1;
            LoopTestSupport.await("the overflowed message to reach the loop", Duration.ofSeconds(10),
                    () -> doorbell.received() >= expected);
            assertThat(doorbell.received()).as("messages received, each once").isEqualTo(expected);
            assertThat(loop.stats().cqOverflows()).isPositive();
            assertThat(loop.stats().doorbellCqes()).as("the message was counted").isEqualTo(doorbell.received());
            // Nothing needed re-arming: a parked loop still wakes at once.
            WakeWord word = wordOf(loop);
            for (int i = 0; i < 50; i++) {
                awaitArmed(loop, word, Duration.ofSeconds(10));
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("wake %d", i).isTrue();
            }
        }
    }

    @Test
    void shouldWakeAParkedLoopThroughTheBackupWhenTheKernelRefusesTheMessage() throws Exception {
        AtomicLong refused = new AtomicLong();
        SyscallLayer refusing = new SyscallLayer() {
            @Override
            public long ioUringRegister(int ringFd, int opcode, long arg, int count) {
                if (opcode == RegisterOp.REGISTER_SEND_MSG_RING && count == 1) {
                    refused.incrementAndGet();
                    return -Errno.ENOMEM;
                }
                return SyscallLayer.NATIVE.ioUringRegister(ringFd, opcode, arg, count);
            }
        };
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.SEND_MSG_RING).syscalls(refusing).spinNanos(0).build())) {
            assertThat(loop.doorbell()).isEqualTo(Doorbell.SEND_MSG_RING);
            WakeWord word = wordOf(loop);
            for (int i = 0; i < 20; i++) {
                awaitArmed(loop, word, Duration.ofSeconds(10));
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                // The park lasts up to 30 s (quiet): only a working backup wakes the loop within the bound.
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("wake %d with every message refused", i).isTrue();
            }
            LoopStats stats = loop.stats();
            assertThat(refused.get()).as("messages the kernel refused").isGreaterThanOrEqualTo(20);
            assertThat(stats.doorbellFallbacks()).as("each refused message rung through the backup")
                    .isEqualTo(refused.get());
        }
    }

    @Test
    void shouldBeUnavailableUnderTheFeatureMask() {
        assertThatThrownBy(() -> EventLoop.open(quiet(Doorbell.SEND_MSG_RING).featureMask("SEND_MSG_RING").build()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("SEND_MSG_RING");
    }
}
