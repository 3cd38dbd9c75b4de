package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.ringloop.LoopTestSupport.await;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLoopTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(value = Doorbell.class,
            names = {"EVENTFD_POLL_MULTISHOT", "EVENTFD_READ", "FUTEX_WAIT", "SEND_MSG_RING"})
    void shouldRunTasksOnTheLoopThreadWithEveryDoorbell(Doorbell doorbell) throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(doorbell).build())) {
            assertThat(loop.doorbell()).isEqualTo(doorbell);
            if (loop.supports(KernelFeature.DEFER_TASKRUN)) {
                assertThat(loop.ringFlags()).contains("SINGLE_ISSUER", "DEFER_TASKRUN", "TASKRUN_FLAG");
            }
            assertThat(loop.submit(loop::inEventLoop).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.inEventLoop()).isFalse();
            assertThat(loop.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
                    .isEqualTo("test-" + doorbell);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Doorbell.class,
            names = {"EVENTFD_POLL_MULTISHOT", "EVENTFD_READ", "FUTEX_WAIT", "SEND_MSG_RING"})
    void shouldRingExactlyOncePerWakeupOfAParkedLoop(Doorbell doorbell) throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(doorbell).spinNanos(0).build())) {
            WakeWord word = wordOf(loop);
            int rounds = 200;
            long[] parksAtRun = {loop.submit(() -> loop.stats().parks()).get(10, TimeUnit.SECONDS)};
            long rungBefore = loop.stats().wakeupsRung();
            for (int i = 0; i < rounds; i++) {
                // Armed and past its re-check (a park counted after the last task ran): a loop that armed but found
                // a stale CQE disarms without sleeping, and a publish after that rightly rings nobody.
                long since = parksAtRun[0];
                await("the loop to park (round " + i + ")", LIMIT,
                        () -> (word.get() & WakeWord.ARMED) != 0 && loop.stats().parks() > since);
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(() -> {
                    parksAtRun[0] = loop.stats().parks();
                    ran.countDown();
                });
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("round %d woke the parked loop", i).isTrue();
            }
            LoopStats s = loop.stats();
            long rung = s.wakeupsRung() - rungBefore;
            if (doorbell == Doorbell.FUTEX_WAIT) {
                // A futex wait the loop replaced is cancelled, and that cancel's CQE can end a later sleep before any
                // producer comes: the task then finds the loop awake and needs no bell. Never more than one a wakeup.
                assertThat(rung).as("at most one wake syscall per wakeup").isBetween(rounds * 9L / 10, (long) rounds);
            } else {
                assertThat(rung).as("one wake syscall per wakeup").isEqualTo(rounds);
            }
            assertThat(s.parks()).isGreaterThanOrEqualTo(rounds);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Doorbell.class,
            names = {"EVENTFD_POLL_MULTISHOT", "EVENTFD_READ", "FUTEX_WAIT", "SEND_MSG_RING"})
    void shouldStayOutOfTheKernelWhenIdleAfterManyWakes(Doorbell doorbell) throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(doorbell).spinNanos(10_000).build())) {
            WakeWord word = wordOf(loop);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 3000; i++) {
                int target = i + 1;
                loop.execute(ran::incrementAndGet);
                await("task " + i, LIMIT, () -> ran.get() == target);
                long gapEnd = System.nanoTime() + 30_000;
                while (System.nanoTime() - gapEnd < 0) {
                    Thread.onSpinWait();
                }
            }
            // Then two producers with small bursts and gaps up to 40 µs for 3 s: the pattern that left
            // IORING_SQ_TASKRUN set with no CQE to come (6.18, poll doorbell, spinning loop) and a loop that never
            // parked again (half of 6 s runs, before the fix).
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread[] producers = new Thread[2];
            for (int p = 0; p < producers.length; p++) {
                producers[p] = Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom();
                    while (!stop.get()) {
                        int burst = 1 + r.nextInt(r.nextInt(10) == 0 ? 200 : 3);
                        for (int i = 0; i < burst; i++) {
                            loop.execute(ran::incrementAndGet);
                            sent.incrementAndGet();
                        }
                        long end = System.nanoTime() + r.nextInt(40_000);
                        while (System.nanoTime() - end < 0) {
                            Thread.onSpinWait();
                        }
                    }
                });
            }
            Thread.sleep(3000); // the length of the burst phase, not synchronisation
            stop.set(true);
            for (Thread t : producers) {
                t.join();
            }
            await("all tasks to run", LIMIT, () -> ran.get() == 3000 + sent.get());
            awaitArmed(loop, word, LIMIT);
            LoopStats before = loop.stats();
            // An observation window, not synchronisation: an idle loop must sleep through it.
            Thread.sleep(200);
            LoopStats after = loop.stats();
            // A readable eventfd left undrained kept IORING_SQ_TASKRUN set: the loop then entered the kernel on
            // every pass instead of sleeping (found by the showdown, 230,000 syscalls in 0.4 s).
            assertThat(after.loopSyscalls() - before.loopSyscalls()).as("loop syscalls while idle")
                    .isLessThanOrEqualTo(2);
            assertThat(after.spinWakeups() - before.spinWakeups()).as("spin wakeups while idle").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Doorbell.class,
            names = {"EVENTFD_POLL_MULTISHOT", "EVENTFD_READ", "FUTEX_WAIT", "SEND_MSG_RING"})
    void shouldMakeNoWakeSyscallWhileTheLoopIsBusy(Doorbell doorbell) throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(doorbell).build())) {
            CountDownLatch release = LoopTestSupport.holdTheLoop(loop);
            long rungBefore = loop.stats().wakeupsRung();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 10_000; i++) {
                loop.execute(ran::incrementAndGet);
            }
            release.countDown();
            await("10000 tasks to run", LIMIT, () -> ran.get() == 10_000);
            LoopStats s = loop.stats();
            assertThat(s.wakeupsRung()).isEqualTo(rungBefore);
            assertThat(s.wakeupsElided()).isGreaterThanOrEqualTo(10_000);
        }
    }

    @Test
    void shouldRunOtherThreadsTasksWhileALoopTaskKeepsRequeueingItself() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).build())) {
            AtomicBoolean spinning = new AtomicBoolean(true);
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    if (spinning.get()) {
                        loop.execute(this);
                    }
                }
            });
            CountDownLatch ran = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                loop.execute(ran::countDown);
            }
            boolean all = ran.await(5, TimeUnit.SECONDS);
            spinning.set(false);
            assertThat(all).as("tasks from another thread ran beside a self-requeueing loop task").isTrue();
        }
    }

    @Test
    void shouldRunTimersInDeadlineOrderAndWakeAParkedLoopForThem() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).spinNanos(0).build())) {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            int[] delays = {40, 10, 30, 20, 0, 50, 15, 5};
            CountDownLatch all = new CountDownLatch(delays.length);
            for (int d : delays) {
                loop.schedule(() -> {
                    order.add(d);
                    all.countDown();
                }, d, TimeUnit.MILLISECONDS);
            }
            assertThat(all.await(5, TimeUnit.SECONDS)).as("timers fired well before maxPark (30 s)").isTrue();
            assertThat(order).containsExactly(0, 5, 10, 15, 20, 30, 40, 50);
            // the counter is added after the batch that ran the last timer
            await("timersFired to reach 8", LIMIT, () -> loop.stats().timersFired() == delays.length);
        }
    }

    @Test
    void shouldNotRunATimerCancelledFromAnotherThread() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).build())) {
            AtomicInteger ran = new AtomicInteger();
            ScheduledFuture<Void> f = loop.schedule(ran::incrementAndGet, 200, TimeUnit.MILLISECONDS);
            ScheduledFuture<Void> later = loop.schedule(() -> { }, 400, TimeUnit.MILLISECONDS);
            assertThat(f.cancel(false)).isTrue();
            assertThat(f.isCancelled()).isTrue();
            later.get(5, TimeUnit.SECONDS);
            assertThat(ran.get()).isZero();
            assertThat(later.cancel(false)).as("cancel after running").isFalse();
        }
    }

    @Test
    void shouldReportThrowingTasksAndCarryOn() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).errorHandler((t, e) -> seen.set(e)).build())) {
            loop.execute(() -> {
                throw new IllegalStateException("boom");
            });
            assertThat(loop.submit(() -> 7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(seen.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(loop.stats().tasksFailed()).isEqualTo(1);
        }
    }

    private static int overflow(int depth) {
        return overflow(depth + 1) + 1;
    }

    /**
     * A loop that dies again while closing gives up on its queued tasks: a submit's future fails and a timer not yet
     * added is cancelled (neither stays pending for ever); a plain task is reported rejected; none of them runs.
     */
    @Test
    void shouldEndQueuedFuturesWhenTheLoopGivesUp() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).errorHandler((t, e) -> reported.add(e)).build())) {
            CountDownLatch hold = LoopTestSupport.holdTheLoop(loop);
            loop.execute(() -> overflow(0));
            loop.execute(() -> overflow(0));
            var submitted = loop.submit(ran::incrementAndGet);
            ScheduledFuture<Void> timer = loop.schedule(ran::incrementAndGet, 0, TimeUnit.NANOSECONDS);
            loop.execute(ran::incrementAndGet);
            hold.countDown();
            assertThatThrownBy(() -> submitted.get(10, TimeUnit.SECONDS)).as("a submit the loop gave up on")
                    .hasCauseInstanceOf(RejectedExecutionException.class).cause()
                    .hasRootCauseInstanceOf(StackOverflowError.class);
            await("the timer the loop gave up on to end", LIMIT, timer::isDone);
            assertThat(timer.isCancelled()).as("the timer the loop gave up on is cancelled").isTrue();
            await("the loop to terminate", LIMIT, loop::isTerminated);
            assertThat(ran.get()).as("nothing queued after the second death ran").isZero();
            assertThat(reported).as("the plain task is reported rejected, and only it")
                    .filteredOn(e -> e instanceof RejectedExecutionException).hasSize(1);
        }
    }

    @Test
    void shouldRunEveryTaskAcceptedBeforeCloseAndRejectAfter() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).build());
        Thread[] producers = new Thread[2];
        AtomicInteger accepted = new AtomicInteger();
        for (int p = 0; p < producers.length; p++) {
            producers[p] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    try {
                        loop.execute(ran::incrementAndGet);
                        accepted.incrementAndGet();
                    } catch (RejectedExecutionException e) {
                        return;
                    }
                }
            });
            producers[p].start();
        }
        await("some tasks to run", LIMIT, () -> ran.get() > 1000);
        loop.close();
        for (Thread t : producers) {
            t.join(10_000);
        }
        assertThat(loop.isTerminated()).isTrue();
        assertThat(ran.get()).as("every accepted task ran").isEqualTo(accepted.get());
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        loop.close();
    }

    @Test
    void shouldCloseFromInsideATask() throws Exception {
        EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).build());
        loop.execute(loop::close);
        await("loop to terminate", LIMIT, loop::isTerminated);
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void shouldWakeProducersBlockedOnAFullBoundedQueue() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).boundedQueue(4).build())) {
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicInteger ran = new AtomicInteger();
            Thread[] producers = new Thread[3];
            for (int p = 0; p < producers.length; p++) {
                producers[p] = new Thread(() -> {
                    for (int i = 0; i < 2000; i++) {
                        loop.execute(ran::incrementAndGet);
                    }
                });
                producers[p].start();
            }
            await("a producer to block on the full queue", LIMIT, () -> loop.stats().producersBlocked() > 0);
            release.countDown();
            for (Thread t : producers) {
                t.join(10_000);
                assertThat(t.isAlive()).as("producer finished").isFalse();
            }
            await("all tasks to run", LIMIT, () -> ran.get() == 6000);
        }
    }

    @Test
    void shouldRejectOnAFullBoundedQueueWhenAskedTo() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).boundedQueue(2)
                .queueFullPolicy(QueueFullPolicy.REJECT).build())) {
            CountDownLatch release = LoopTestSupport.holdTheLoop(loop);
            loop.execute(() -> { });
            loop.execute(() -> { });
            assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("full");
            release.countDown();
        }
    }

    @Test
    void shouldRunWhatMustNotBeRefusedEvenWhenTheBoundedQueueIsFull() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).boundedQueue(2)
                .queueFullPolicy(QueueFullPolicy.REJECT).build())) {
            CountDownLatch release = LoopTestSupport.holdTheLoop(loop);
            AtomicInteger ran = new AtomicInteger();
            loop.execute(ran::incrementAndGet);
            loop.execute(ran::incrementAndGet);
            assertThatThrownBy(() -> loop.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
            CountDownLatch urgent = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                loop.executeEvenIfFull(urgent::countDown);
            }
            release.countDown();
            assertThat(urgent.await(10, TimeUnit.SECONDS)).as("tasks offered past the bound ran").isTrue();
            await("the two queued tasks to run", LIMIT, () -> ran.get() == 2);
            // The loop caught up with both lanes: it still sleeps and wakes as before.
            assertThat(loop.submit(() -> 7).get(10, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void shouldNeverHaveMoreIoInFlightThanTheCqHolds() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).ringEntries(8).build())) {
            int requests = 2000;
            AtomicInteger done = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            LoopAgent agent = LoopTestSupport.agentOf(loop);
            loop.execute(() -> {
                for (int i = 0; i < requests; i++) {
                    LoopInternals.submitIo(loop, LoopTestSupport.nop(res -> {
                        maxInFlight.accumulateAndGet(agent.io().inFlight(), Math::max);
                        done.incrementAndGet();
                    }));
                }
            });
            await("all NOP requests to complete", LIMIT, () -> done.get() == requests);
            LoopStats s = loop.stats();
            assertThat(maxInFlight.get()).isLessThanOrEqualTo(agent.io().budget());
            assertThat(s.ioDeferred()).isPositive();
            assertThat(s.ioCompleted()).isEqualTo(requests);
            assertThat(s.cqOverflows()).isZero();
        }
    }

    @Test
    void shouldSurviveAnIoCompletionThatThrowsAndFreeItsSlot() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).errorHandler((t, e) -> reported.add(e)).build())) {
            LoopAgent agent = LoopTestSupport.agentOf(loop);
            CountDownLatch completed = new CountDownLatch(1);
            loop.execute(() -> LoopInternals.submitIo(loop, new IoRequest() {
                @Override
                public void prepare(SubmissionQueue sq, long userData) {
                    sq.nop(userData);
                }

                @Override
                public boolean complete(int res, int flags) {
                    completed.countDown();
                    throw new IllegalStateException("a completion that throws");
                }
            }));
            assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.submit(() -> agent.io().inFlight()).get(10, TimeUnit.SECONDS))
                    .as("the kernel posted the request's last CQE: its slot is free").isZero();
            assertThat(loop.isClosed()).as("the loop survives").isFalse();
            assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class);
            assertThat(loop.stats().tasksFailed()).isEqualTo(1);
        }
    }

    @Test
    void shouldFallBackUnderTheFeatureMask() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).featureMask("POLL_ADD").build())) {
            assertThat(loop.doorbell()).isEqualTo(Doorbell.EVENTFD_READ);
            assertThat(loop.submit(() -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.EVENTFD_POLL_MULTISHOT)
                .featureMask(FeatureMask.parse("DEFER_TASKRUN,SINGLE_ISSUER")).build())) {
            assertThat(loop.ringFlags()).doesNotContain("DEFER_TASKRUN", "SINGLE_ISSUER");
            assertThat(loop.submit(() -> 2).get(5, TimeUnit.SECONDS)).isEqualTo(2);
        }
        assertThatThrownBy(() -> EventLoop.open(quiet(Doorbell.FUTEX_WAIT).featureMask("FUTEX_WAIT").build()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("FUTEX_WAIT");
    }

    @Test
    void shouldRejectBadInputClearly() {
        assertThatThrownBy(() -> LoopOptions.builder().ringEntries(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ringEntries");
        assertThatThrownBy(() -> LoopOptions.builder().spinNanos(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spinNanos");
        assertThatThrownBy(() -> LoopOptions.builder().backoffNanos(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backoffNanos");
        assertThatThrownBy(() -> LoopOptions.builder().backoffNanos(2_000_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoffNanos");
        assertThatThrownBy(() -> LoopOptions.builder().maxParkNanos(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopOptions.builder().boundedQueue(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopOptions.builder().threadName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopOptions.builder().featureMask("NOPE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOPE");
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).build())) {
            assertThatThrownBy(() -> loop.execute(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> loop.schedule(() -> { }, -1, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
            assertThatThrownBy(() -> LoopInternals.submitIo(loop, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> LoopInternals.submitIo(loop, new IoRequest() {
                @Override
                public void prepare(SubmissionQueue sq, long userData) {
                }

                @Override
                public boolean complete(int res, int flags) {
                    return true;
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("loop thread");
        }
        assertThat(Errno.name(-Errno.EBADF)).isEqualTo("EBADF");
    }
}
