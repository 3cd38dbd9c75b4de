package io.ringloop;

import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.ringloop.LoopTestSupport.assumeKernel;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code GETEVENTS} that runs no task work and posts nothing leaves {@code IORING_SQ_TASKRUN} set (seen on 6.18
 * with a spinning loop). The loop must stop taking the flag for work until a GETEVENTS posts again, or its spin never
 * ends: it would enter the kernel on every look and never reach the sleeping entry that does run the task work.
 */
class StuckTaskRunFlagTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /**
     * The loop's spin: long enough that the loop is still spinning when the task that wrote the eventfd returns,
     * even on a loaded machine (with 1 ms, a loop descheduled for longer went straight to its sleeping entry, which
     * ran the task work for real, and the test saw no stuck flag at all); short enough that the sleep comes well
     * within {@link #LIMIT}.
     */
    private static final Duration SPIN = Duration.ofMillis(200);

    /**
     * Makes the kernel's state deterministic: every entry that only asks for task work (nothing to submit, no wait)
     * returns at once without entering, so the flag stays set and nothing is posted; every other entry is real.
     */
    private static final class StuckGetEvents implements SyscallLayer {
        final AtomicLong swallowed = new AtomicLong();

        @Override
        public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
            if (toSubmit == 0 && minComplete == 0 && (flags & IoUringFlags.ENTER_GETEVENTS) != 0) {
                swallowed.incrementAndGet();
                return 0;
            }
            return SyscallLayer.NATIVE.ioUringEnter(ringFd, toSubmit, minComplete, flags, arg, argSize);
        }
    }

    @Test
    void shouldStopTakingTheTaskRunFlagForWorkAfterAGetEventsThatPostedNothing() throws Exception {
        StuckGetEvents sys = new StuckGetEvents();
        int efd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC);
        assertThat(efd).as("eventfd").isNotNegative();
        try (Arena arena = Arena.ofShared(); EventLoop loop = EventLoop.open(LoopInternals.syscalls(
                quiet(Doorbell.EVENTFD_POLL_MULTISHOT).spinNanos(SPIN.toNanos()), sys).build())) {
            // Without DEFER_TASKRUN (before 6.1, or under a kernel profile) completions are not deferred task work
            // the flag announces, so there is no flag to be stuck.
            assumeKernel(loop, KernelFeature.DEFER_TASKRUN);
            assumeKernel(loop, KernelFeature.TASKRUN_FLAG);
            MemorySegment value = arena.allocate(JAVA_LONG);
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            CompletableFuture<Integer> read = new CompletableFuture<>();
            loop.execute(() -> LoopInternals.submitIo(loop, new IoRequest() {
                @Override
                public void prepare(SubmissionQueue sq, long userData) {
                    sq.read(efd, value.address(), Long.BYTES, 0, userData);
                }

                @Override
                public boolean complete(int res, int flags) {
                    read.complete(res);
                    return true;
                }
            }));
            awaitArmed(loop, wordOf(loop), LIMIT);
            // The eventfd becomes readable while the loop runs a task: the read's completion is deferred task work,
            // announced by the flag, while the loop is awake and about to spin.
            loop.execute(() -> assertThat(Syscalls.write(efd, one)).isEqualTo(Long.BYTES));
            assertThat(read.get(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the read, completed by the loop's sleep")
                    .isEqualTo(Long.BYTES);
            assertThat(value.get(JAVA_LONG, 0)).isEqualTo(1L);
            assertThat(sys.swallowed.get()).as("GETEVENTS calls that left the flag set")
                    .isBetween(1L, 10L);
        } finally {
            Syscalls.close(efd);
        }
    }
}
