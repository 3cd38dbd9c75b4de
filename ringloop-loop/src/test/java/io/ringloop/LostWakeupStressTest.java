package io.ringloop;

import io.ringloop.binding.KernelTimespec;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A lost wakeup hides under continuous load, because the next task's bell rescues it. So besides bursts, this test
 * has rounds in which exactly one task is outstanding and nothing follows it until it has run, published after a
 * random gap that lands anywhere in the loop's spin, arm and park transition, and rounds in which both producers
 * publish at once into that transition. maxParkNanos is 30 s, so any lost wake shows up as a stall, and a watchdog
 * fails the test if any task waits more than 1 s. Each task checks it runs exactly once and in its producer's order.
 */
class LostWakeupStressTest {
    private static final int PRODUCERS = 2;
    /** 500k per producer in the test command (1M per doorbell); {@code ./ringloop stress} raises it. */
    private static final int TASKS_PER_PRODUCER = Integer.getInteger("ringloop.stress.tasks", 500_000);
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

    @ParameterizedTest
    @EnumSource(value = Doorbell.class,
            names = {"EVENTFD_POLL_MULTISHOT", "EVENTFD_READ", "FUTEX_WAIT", "SEND_MSG_RING"})
    void shouldNeverLoseAWakeup(Doorbell doorbell) throws Exception {
        // Sleeps in the ring, so that each bell goes through this doorbell (an idle loop would sleep on its word).
        LoopStats s = stress(LoopOptions.builder().doorbell(doorbell).wordSleep(false), "stress-" + doorbell);
        assertThat(s.wordSleeps()).isZero();
    }

    @Test
    void shouldNeverLoseAWakeupSleepingOnTheWakeWord() throws Exception {
        LoopStats s = stress(LoopOptions.builder().wordSleep(true), "stress-word-sleep");
        assertThat(s.wordSleeps()).as("every sleep of this idle loop was on its word").isEqualTo(s.parks());
    }

    /**
     * A timeout of up to 100 µs in flight about half of the time: the loop's sleeps switch between its ring (I/O in
     * flight) and its wake word (none), so a bell can be won for a sleep of one kind and read the choice of the
     * other.
     */
    @Test
    void shouldNeverLoseAWakeupSwitchingBetweenRingAndWordSleeps() throws Exception {
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().wordSleep(true).spinNanos(10_000)
                .maxParkNanos(Duration.ofSeconds(30).toNanos()).threadName("stress-switching").build())) {
            Churn churn = new Churn(loop);
            loop.execute(churn::submit);
            run(loop);
            churn.stop = true;
            LoopStats s = loop.stats();
            System.out.println("stress-switching " + loop.doorbell() + ": " + s + ", timeouts " + churn.completed);
            assertThat(s.tasksRun()).isGreaterThanOrEqualTo((long) PRODUCERS * TASKS_PER_PRODUCER);
            assertThat(s.wordSleeps()).as("sleeps on the word").isPositive();
            assertThat(s.parks() - s.wordSleeps()).as("sleeps in the ring").isPositive();
            assertThat(s.wakeupsRung()).as("never more than one bell per arm").isLessThanOrEqualTo(s.arms());
        }
    }

    /** Keeps a random short IORING_OP_TIMEOUT in flight part of the time; loop thread only, but for {@code stop}. */
    private static final class Churn implements IoRequest {
        final EventLoop loop;
        final MemorySegment timespec = Arena.ofAuto().allocate(KernelTimespec.LAYOUT);
        final SplittableRandom random = new SplittableRandom();
        final AtomicLong completed = new AtomicLong();
        volatile boolean stop;

        Churn(EventLoop loop) {
            this.loop = loop;
        }

        void submit() {
            if (!stop) {
                timespec.set(JAVA_LONG, KernelTimespec.TV_SEC, 0L);
                timespec.set(JAVA_LONG, KernelTimespec.TV_NSEC, random.nextLong(100_000));
                LoopInternals.submitIo(loop, this);
            }
        }

        @Override
        public void prepare(SubmissionQueue sq, long userData) {
            sq.timeout(timespec.address(), 0, 0, userData);
        }

        @Override
        public boolean complete(int res, int flags) {
            completed.incrementAndGet();
            if (random.nextBoolean()) {
                submit();
            } else if (!stop) {
                // Nothing in flight until the timer fires: the loop's sleeps meanwhile are on its word.
                loop.schedule(this::submit, random.nextLong(100_000), TimeUnit.NANOSECONDS);
            }
            return true;
        }
    }

    private static LoopStats stress(LoopOptions.Builder options, String name) throws Exception {
        try (EventLoop loop = EventLoop.open(options.spinNanos(10_000).maxParkNanos(Duration.ofSeconds(30).toNanos())
                .threadName(name).build())) {
            run(loop);
            LoopStats s = loop.stats();
            System.out.println(name + " " + loop.doorbell() + ": " + s);
            assertThat(s.tasksRun()).isGreaterThanOrEqualTo((long) PRODUCERS * TASKS_PER_PRODUCER);
            assertThat(s.parks()).as("the loop really slept during lone rounds").isPositive();
            assertThat(s.wakeupsRung()).isPositive();
            assertThat(s.wakeupsRung()).as("never more than one bell per arm").isLessThanOrEqualTo(s.arms());
            return s;
        }
    }

    private static void run(EventLoop loop) throws Exception {
        long[][] submitted = new long[PRODUCERS][TASKS_PER_PRODUCER];
        AtomicLong[] ran = new AtomicLong[PRODUCERS];
        AtomicLong[] sent = new AtomicLong[PRODUCERS];
        AtomicReference<String> failure = new AtomicReference<>();
        for (int p = 0; p < PRODUCERS; p++) {
            ran[p] = new AtomicLong();
            sent[p] = new AtomicLong();
        }
        SplittableRandom modes = new SplittableRandom(System.nanoTime());
        AtomicInteger mode = new AtomicInteger();
        // Every round starts at the barrier, whose action picks one mode (and burst size) for all producers, so
        // that every producer sends the same number of tasks per round and all reach the end in the same round.
        CyclicBarrier barrier = new CyclicBarrier(PRODUCERS,
                () -> mode.set(modes.nextInt(10) | (1 + modes.nextInt(500)) << 4));
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            int me = p;
            producers[p] = new Thread(() -> produce(loop, me, submitted[me], ran, sent, barrier, mode, failure),
                    "producer-" + p);
        }
        for (Thread t : producers) {
            t.start();
        }
        // The stall detector: the oldest task of each producer that has not run yet must be younger than 1 s.
        while (true) {
            boolean alive = false;
            for (Thread t : producers) {
                alive |= t.isAlive();
            }
            long now = System.nanoTime();
            for (int p = 0; p < PRODUCERS; p++) {
                long r = ran[p].get();
                if (r < sent[p].get() && now - submitted[p][(int) r] > STALL_NANOS) {
                    failure.compareAndSet(null, "stall: producer " + p + " task " + r + " waited more than 1 s"
                            + " (loop " + loop + ", stats " + loop.stats() + ")");
                }
            }
            if (failure.get() != null) {
                for (Thread t : producers) {
                    t.interrupt();
                }
                fail(failure.get());
            }
            boolean allRan = true;
            for (int p = 0; p < PRODUCERS; p++) {
                allRan &= ran[p].get() == TASKS_PER_PRODUCER;
            }
            if (!alive && allRan) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private static void produce(EventLoop loop, int me, long[] submitted, AtomicLong[] ran, AtomicLong[] sent,
            CyclicBarrier barrier, AtomicInteger roundMode,
            AtomicReference<String> failure) {
        SplittableRandom random = new SplittableRandom(me * 31L + System.nanoTime());
        int seq = 0;
        try {
            while (seq < TASKS_PER_PRODUCER && failure.get() == null) {
                barrier.await(30, TimeUnit.SECONDS);
                int mode = roundMode.get() & 0xf;
                int burst = roundMode.get() >>> 4;
                if (mode < 6) {
                    // Lone rounds: producers take turns; the other waits at the barrier, so exactly one task is
                    // outstanding and nothing follows it until it has run.
                    for (int turn = 0; turn < PRODUCERS; turn++) {
                        if (turn == me && seq < TASKS_PER_PRODUCER) {
                            awaitQuiet(ran, sent, failure);
                            spin(random.nextLong(60_000));
                            seq = send(loop, me, seq, submitted, ran, sent);
                            awaitRun(ran[me], seq, submitted[seq - 1], failure);
                        }
                        barrier.await(30, TimeUnit.SECONDS);
                    }
                } else if (mode < 8) {
                    // Both at once, into the same spin/arm/park transition.
                    awaitQuiet(ran, sent, failure);
                    barrier.await(30, TimeUnit.SECONDS);
                    spin(random.nextLong(30_000));
                    seq = send(loop, me, seq, submitted, ran, sent);
                    awaitRun(ran[me], seq, submitted[seq - 1], failure);
                } else {
                    for (int i = 0; i < burst && seq < TASKS_PER_PRODUCER; i++) {
                        seq = send(loop, me, seq, submitted, ran, sent);
                    }
                }
            }
        } catch (Exception e) {
            failure.compareAndSet(null, "producer " + me + " failed: " + e);
            barrier.reset();
        }
    }

    private static int send(EventLoop loop, int me, int seq, long[] submitted, AtomicLong[] ran, AtomicLong[] sent) {
        int mine = seq;
        submitted[mine] = System.nanoTime();
        sent[me].set(mine + 1L);
        loop.execute(() -> {
            long prev = ran[me].get();
            if (prev != mine) {
                throw new AssertionError("producer " + me + ": task " + mine + " ran after " + prev
                        + " (lost, duplicated or reordered)");
            }
            ran[me].set(mine + 1L);
        });
        return mine + 1;
    }

    private static void awaitQuiet(AtomicLong[] ran, AtomicLong[] sent, AtomicReference<String> failure) {
        for (int p = 0; p < ran.length; p++) {
            while (ran[p].get() < sent[p].get() && failure.get() == null) {
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitRun(AtomicLong ran, int target, long since, AtomicReference<String> failure) {
        while (ran.get() < target && failure.get() == null) {
            if (System.nanoTime() - since > 2 * STALL_NANOS) {
                failure.compareAndSet(null, "lone task " + (target - 1) + " did not run within 2 s");
                return;
            }
            Thread.onSpinWait();
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
