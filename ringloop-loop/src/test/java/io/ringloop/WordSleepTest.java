package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.ringloop.LoopTestSupport.await;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.wordOf;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle loop's sleep on its wake word ({@link WordSleep}): taken only when the ring holds nothing in flight, woken
 * by the producer's futex wake instead of the doorbell, and left for the ring as soon as I/O is in flight.
 */
class WordSleepTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    /** Counts the two futex calls of the word sleep, and can make the wait fail. */
    private static final class CountingFutex implements SyscallLayer {
        final AtomicInteger waits = new AtomicInteger();
        final AtomicInteger wakes = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        volatile int failWaitWith;

        @Override
        public long futexWaitPrivate(long address, int expected, long timeoutAddress) {
            waits.incrementAndGet();
            int fail = failWaitWith;
            return fail != 0 ? -fail : SyscallLayer.NATIVE.futexWaitPrivate(address, expected, timeoutAddress);
        }

        @Override
        public long futexWakePrivate(long address, int count) {
            wakes.incrementAndGet();
            return SyscallLayer.NATIVE.futexWakePrivate(address, count);
        }

        @Override
        public long write(int fd, long address, long length) {
            writes.incrementAndGet();
            return SyscallLayer.NATIVE.write(fd, address, length);
        }
    }

    private static LoopOptions.Builder options(SyscallLayer sys) {
        return LoopOptions.builder().doorbell(Doorbell.EVENTFD_POLL_MULTISHOT).spinNanos(0)
                .maxParkNanos(Duration.ofSeconds(30).toNanos()).threadName("word-sleep").syscalls(sys);
    }

    @Test
    void shouldSleepOnTheWordWhenIdleAndBeWokenByAFutexWakeNotTheDoorbell() throws Exception {
        CountingFutex sys = new CountingFutex();
        try (EventLoop loop = EventLoop.open(options(sys).build())) {
            WakeWord word = wordOf(loop);
            for (int i = 0; i < 50; i++) {
                awaitArmed(loop, word, LIMIT);
                await("the loop to be asleep on its word", LIMIT, () -> sys.waits.get() > 0);
                LoopStats before = loop.stats();
                int wakes = sys.wakes.get();
                int writes = sys.writes.get();
                int seen = i;
                assertThat(loop.submit(() -> seen).get(10, TimeUnit.SECONDS)).isEqualTo(i);
                LoopStats after = loop.stats();
                if (after.wakeupsRung() > before.wakeupsRung()) {
                    assertThat(sys.wakes.get()).as("the bell was a futex wake").isGreaterThan(wakes);
                    assertThat(sys.writes.get()).as("no eventfd write").isEqualTo(writes);
                }
            }
            LoopStats s = loop.stats();
            assertThat(s.wakeupsRung()).as("most tasks found the loop asleep").isGreaterThan(25);
            assertThat(s.wordSleeps()).as("every sleep of an idle loop is on its word").isEqualTo(s.parks());
            assertThat(s.doorbellCqes()).as("the doorbell never fired").isZero();
            assertThat(s.wakeupsRung()).isLessThanOrEqualTo(s.arms());
        }
    }

    @Test
    void shouldSleepInTheRingWhileIoIsInFlight() throws Exception {
        CountingFutex sys = new CountingFutex();
        int efd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC | Syscalls.EFD_NONBLOCK);
        try (EventLoop loop = EventLoop.open(options(sys).build())) {
            CountDownLatch polled = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger();
            // A poll of an eventfd nobody writes: in flight until the test writes it.
            loop.execute(() -> LoopInternals.submitIo(loop, new IoRequest() {
                @Override
                public void prepare(SubmissionQueue sq, long userData) {
                    sq.pollAdd(efd, 1 /* POLLIN */, false, userData);
                }

                @Override
                public boolean complete(int res, int flags) {
                    result.set(res);
                    polled.countDown();
                    return true;
                }
            }));
            WakeWord word = wordOf(loop);
            await("the poll to be in flight", LIMIT, () -> LoopTestSupport.agentOf(loop).io().inFlight() == 1);
            LoopStats before = loop.stats();
            for (int i = 0; i < 20; i++) {
                awaitArmed(loop, word, LIMIT);
                loop.submit(() -> null).get(10, TimeUnit.SECONDS);
            }
            LoopStats during = loop.stats();
            assertThat(during.parks()).isGreaterThan(before.parks());
            assertThat(during.wordSleeps()).as("no sleep on the word while the poll is in flight")
                    .isEqualTo(before.wordSleeps());
            // The I/O completion, not a task, wakes the ring sleep.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment one = arena.allocate(8);
                one.set(JAVA_LONG, 0, 1L);
                assertThat(SyscallLayer.NATIVE.write(efd, one.address(), 8)).isEqualTo(8);
            }
            assertThat(polled.await(10, TimeUnit.SECONDS)).as("the poll completed").isTrue();
            assertThat(result.get() & 1).isEqualTo(1);
            // Nothing in flight again: the next sleeps are on the word.
            awaitArmed(loop, word, LIMIT);
            await("a sleep on the word after the I/O ended", LIMIT,
                    () -> loop.stats().wordSleeps() > during.wordSleeps());
        } finally {
            Syscalls.close(efd);
        }
    }

    @Test
    void shouldKeepRunningTasksWhenTheWordSleepIsInterruptedOrTimesOut() throws Exception {
        CountingFutex sys = new CountingFutex();
        try (EventLoop loop = EventLoop.open(options(sys).build())) {
            for (int errno : new int[] {Errno.EINTR, Errno.ETIMEDOUT}) {
                sys.failWaitWith = errno;
                int waits = sys.waits.get();
                // Wakes the loop from the real wait it may be in; every wait after this one fails at once.
                loop.execute(() -> { });
                await("the loop to try its word sleep again after " + Errno.name(errno), LIMIT,
                        () -> sys.waits.get() > waits + 3);
                runHundredTasks(loop, "while every word sleep fails with " + Errno.name(errno));
                sys.failWaitWith = 0;
            }
            long sleeps = loop.stats().wordSleeps();
            assertThat(loop.submit(() -> 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
            await("a word sleep once the waits succeed again", LIMIT, () -> loop.stats().wordSleeps() > sleeps);
        }
    }

    @Test
    void shouldSleepInTheRingFromNowOnWhenTheKernelRefusesTheWait() throws Exception {
        CountingFutex sys = new CountingFutex();
        sys.failWaitWith = Errno.ENOSYS;
        try (EventLoop loop = EventLoop.open(options(sys).build())) {
            await("the loop to try its word sleep", LIMIT, () -> sys.waits.get() > 0);
            runHundredTasks(loop, "after the kernel refused the word sleep");
            LoopStats before = loop.stats();
            for (int i = 0; i < 20; i++) {
                awaitArmed(loop, wordOf(loop), LIMIT);
                loop.submit(() -> null).get(10, TimeUnit.SECONDS);
            }
            LoopStats after = loop.stats();
            assertThat(sys.waits.get()).as("tried once, never again").isEqualTo(1);
            assertThat(after.parks() - before.parks()).as("the loop still sleeps, in the ring").isPositive();
            assertThat(after.wordSleeps()).isEqualTo(before.wordSleeps());
            assertThat(after.doorbellCqes()).as("the doorbell woke it").isPositive();
        }
    }

    private static void runHundredTasks(EventLoop loop, String when) {
        AtomicLong ran = new AtomicLong();
        for (int i = 0; i < 100; i++) {
            loop.execute(ran::incrementAndGet);
        }
        await("100 tasks to run " + when, LIMIT, () -> ran.get() == 100);
    }

    @Test
    void shouldSleepOnlyInTheRingWhenTurnedOff() throws Exception {
        CountingFutex sys = new CountingFutex();
        try (EventLoop loop = EventLoop.open(options(sys).wordSleep(false).build())) {
            WakeWord word = wordOf(loop);
            for (int i = 0; i < 20; i++) {
                awaitArmed(loop, word, LIMIT);
                loop.submit(() -> null).get(10, TimeUnit.SECONDS);
            }
            LoopStats s = loop.stats();
            assertThat(s.parks()).isPositive();
            assertThat(s.wordSleeps()).isZero();
            assertThat(sys.waits.get()).isZero();
            assertThat(sys.wakes.get()).isZero();
            assertThat(loop.options().wordSleep()).isFalse();
        }
    }

    @Test
    void shouldFireATimerWhileAsleepOnTheWord() throws Exception {
        CountingFutex sys = new CountingFutex();
        try (EventLoop loop = EventLoop.open(options(sys).build())) {
            long start = System.nanoTime();
            CountDownLatch fired = new CountDownLatch(1);
            loop.schedule(fired::countDown, 30, TimeUnit.MILLISECONDS);
            assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
            assertThat(loop.stats().wordSleeps()).as("the loop waited for the timer on its word").isPositive();
        }
    }
}
