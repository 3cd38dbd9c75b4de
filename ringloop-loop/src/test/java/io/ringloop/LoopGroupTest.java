package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.binding.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.ringloop.LoopTestSupport.assumeKernel;
import static io.ringloop.LoopTestSupport.await;
import static io.ringloop.LoopTestSupport.countersOf;
import static io.ringloop.LoopTestSupport.doorbellOf;
import static io.ringloop.LoopTestSupport.wordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Loop groups and the loop-to-loop doorbell ({@link Doorbell#MSG_RING}): every loop sends to every other loop from its
 * own thread, in bursts and as lone messages to a loop that has certainly parked; messages are checked for loss,
 * duplication and order, the stats show which wake path was taken, and a stall detector dumps the loops if nothing
 * moves for 5 s (maxPark is 30 s, so a lost wake shows up as a stall, not as a slow pass).
 */
class LoopGroupTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Loops that sleep in their ring: these tests are about MSG_RING and the doorbells, which an idle loop's sleep on
     * its wake word bypasses (that path has its own mesh run, {@link Path#WORD_SLEEP}).
     */
    private static LoopOptions.Builder quiet(String name) {
        return LoopOptions.builder().maxParkNanos(Duration.ofSeconds(30).toNanos()).threadName(name)
                .wordSleep(false);
    }

    // ---------------------------------------------------------------- the group itself

    @Test
    void shouldRejectBadInputWithClearMessages() {
        assertThatThrownBy(() -> LoopGroup.open(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 loop, was 0");
        assertThatThrownBy(() -> LoopGroup.builder().loops(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -3");
        assertThatThrownBy(() -> LoopGroup.builder().cpus()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one CPU");
        assertThatThrownBy(() -> LoopGroup.builder().cpus(0, 1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 1024");
        assertThatThrownBy(() -> LoopOptions.builder().cpuAffinity(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -1");
        assertThatThrownBy(() -> LoopOptions.builder().doorbell(Doorbell.MSG_RING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MSG_RING")
                .hasMessageContaining("msgRingFromLoops");
        try (LoopGroup group = LoopGroup.open(2, quiet("bad-input").build())) {
            assertThatThrownBy(() -> group.loop(2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("loop index 2 is outside 0..1");
            assertThatThrownBy(() -> group.loop(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> group.execute(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void shouldHandOutLoopsRoundRobinAndNameThemByIndex() throws Exception {
        try (LoopGroup group = LoopGroup.builder().loops(3).options(quiet("rr").build()).threadNamePrefix("grp")
                .open()) {
            assertThat(group.size()).isEqualTo(3);
            assertThat(group.loops()).containsExactly(group.loop(0), group.loop(1), group.loop(2));
            EventLoop first = group.next();
            int start = group.loops().indexOf(first);
            for (int i = 1; i <= 7; i++) {
                assertThat(group.next()).as("next() call %d", i).isSameAs(group.loop((start + i) % 3));
            }
            for (int i = 0; i < 3; i++) {
                String name = group.loop(i).submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
                assertThat(name).isEqualTo("grp-" + i);
            }
            // execute() is next().execute(): three tasks in a row land on three different loops.
            ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
            CountDownLatch ran = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                group.execute(() -> {
                    threads.add(Thread.currentThread().getName());
                    ran.countDown();
                });
            }
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).containsExactlyInAnyOrder("grp-0", "grp-1", "grp-2");
            assertThat(group.inEventLoop()).isFalse();
            assertThat(group.loop(1).submit(group::inEventLoop).get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ---------------------------------------------------------------- all to all

    enum Path { MSG_RING, MASKED, OFF, WORD_SLEEP }

    @ParameterizedTest
    @EnumSource(value = Doorbell.class,
            names = {"EVENTFD_POLL_MULTISHOT", "EVENTFD_READ", "FUTEX_WAIT", "SEND_MSG_RING"})
    void shouldDeliverEveryMessageBetweenAllLoopsWakingParkedLoopsByMsgRing(Doorbell doorbell) throws Exception {
        allToAll(doorbell, Path.MSG_RING);
    }

    @ParameterizedTest
    @EnumSource(value = Path.class, names = {"MASKED", "OFF"})
    void shouldFallBackToTheTargetsDoorbellWhenMsgRingIsMaskedOrOff(Path path) throws Exception {
        allToAll(Doorbell.AUTO, path);
    }

    /** Idle loops sleep on their wake words: every wake between them is a futex wake, none a MSG_RING. */
    @ParameterizedTest
    @EnumSource(value = Doorbell.class, names = {"EVENTFD_POLL_MULTISHOT", "FUTEX_WAIT"})
    void shouldDeliverEveryMessageBetweenAllLoopsSleepingOnTheirWakeWords(Doorbell doorbell) throws Exception {
        allToAll(doorbell, Path.WORD_SLEEP);
    }

    private static void allToAll(Doorbell doorbell, Path path) throws Exception {
        LoopOptions.Builder options = quiet("mesh-" + doorbell + "-" + path).doorbell(doorbell);
        if (path == Path.MASKED) {
            options.featureMask("MSG_RING");
        } else if (path == Path.OFF) {
            options.msgRingFromLoops(false);
        } else if (path == Path.WORD_SLEEP) {
            options.wordSleep(true);
        }
        LoopGroup group = LoopGroup.open(3, options.build());
        if (path == Path.MSG_RING && !group.loop(0).supports(KernelFeature.MSG_RING)) {
            group.close();
            assumeKernel(group.loop(0), KernelFeature.MSG_RING);
        }
        try (EventLoop starter = EventLoop.open(quiet("mesh-starter").build())) {
            Mesh mesh = new Mesh(group, 20_000, 300);
            LoopStats[] before = mesh.stats();
            long[] wakeCqesBefore = mesh.counter(LoopCounter.LOOP_WAKE_CQES);
            // Started from another loop, so that every wake of a group loop in this test comes from a loop.
            starter.execute(mesh::startPumps);
            mesh.awaitDone();
            mesh.assertEveryMessageOnceInOrder();
            long msgRing = 0;
            long rung = 0;
            for (int i = 0; i < 3; i++) {
                EventLoop loop = group.loop(i);
                LoopStats b = before[i];
                LoopCounters c = mesh.counters[i];
                long cqes = wakeCqesBefore[i];
                // A sender counts its wake after the kernel took it, which may be after the target ran the message:
                // the figures settle once the loops are idle.
                if (path == Path.MSG_RING) {
                    await("every wake of loop " + i + " to have come from a loop by MSG_RING and been reaped: "
                            + loop.stats(), LIMIT, () -> {
                                LoopStats a = loop.stats();
                                long dMsg = a.msgRingWakes() - b.msgRingWakes();
                                return dMsg == a.wakeupsRung() - b.wakeupsRung()
                                        && dMsg == c.get(LoopCounter.LOOP_WAKE_CQES) - cqes;
                            });
                }
                LoopStats a = loop.stats();
                long dMsg = a.msgRingWakes() - b.msgRingWakes();
                String who = "loop " + i + " (" + path + ", doorbell " + doorbell + "): " + a;
                assertThat(a.wakeupsRung()).as(who).isLessThanOrEqualTo(a.arms());
                if (path == Path.MSG_RING) {
                    assertThat(dMsg).as(who).isPositive();
                } else if (path == Path.WORD_SLEEP) {
                    assertThat(dMsg).as(who).isZero();
                    assertThat(a.wordSleeps() - b.wordSleeps()).as(who).isEqualTo(a.parks() - b.parks()).isPositive();
                    assertThat(a.doorbellCqes() - b.doorbellCqes()).as(who).isZero();
                } else {
                    assertThat(dMsg).as(who).isZero();
                    assertThat(c.get(LoopCounter.LOOP_WAKE_CQES)).as(who).isEqualTo(cqes);
                }
                msgRing += dMsg;
                rung += a.wakeupsRung() - b.wakeupsRung();
            }
            System.out.printf("mesh %s/%s: %d wakes rung, %d by MSG_RING, %d lone hops%n", doorbell, path, rung,
                    msgRing, mesh.hops);
            assertThat(rung).as("most lone messages found their target parked and rang").isGreaterThan(mesh.hops / 2);
        } finally {
            group.close();
        }
    }

    /**
     * Three loops: first each pumps {@code perPair} messages to each other loop in random bursts, pausing on timers
     * (so targets park between bursts); when the last of those arrives, a token walks from loop to loop {@code hops}
     * times, each holder waiting until the next loop has parked (its parks count passed the value it had when it
     * last received) before it sends exactly one message. Everything after the start runs on loop threads.
     */
    private static final class Mesh {
        final LoopGroup group;
        final int n;
        final int perPair;
        final int hops;
        final LoopCounters[] counters;
        final AtomicLongArray sent;
        final AtomicLongArray received;
        final AtomicLongArray parksAtReceipt;
        final AtomicLong totalReceived = new AtomicLong();
        final AtomicLong hopsDone = new AtomicLong();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(1);
        final int[] walk;

        Mesh(LoopGroup group, int perPair, int hops) {
            this.group = group;
            this.n = group.size();
            this.perPair = perPair;
            this.hops = hops;
            this.counters = new LoopCounters[n];
            for (int i = 0; i < n; i++) {
                counters[i] = countersOf(group.loop(i));
            }
            this.sent = new AtomicLongArray(n * n);
            this.received = new AtomicLongArray(n * n);
            this.parksAtReceipt = new AtomicLongArray(n);
            this.walk = new int[hops + 1];
        }

        LoopStats[] stats() {
            LoopStats[] s = new LoopStats[n];
            for (int i = 0; i < n; i++) {
                s[i] = group.loop(i).stats();
            }
            return s;
        }

        long[] counter(LoopCounter which) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = counters[i].get(which);
            }
            return v;
        }

        void startPumps() {
            for (int i = 0; i < n; i++) {
                group.loop(i).execute(new Pump(i));
            }
        }

        /** On {@code src}'s thread. */
        void send(int src, int dst) {
            int k = src * n + dst;
            long seq = sent.get(k);
            sent.set(k, seq + 1);
            group.loop(dst).execute(() -> receive(src, dst, seq));
        }

        /** On {@code dst}'s thread. */
        void receive(int src, int dst, long seq) {
            int k = src * n + dst;
            long expected = received.get(k);
            if (seq != expected) {
                errors.add("loop " + dst + " got message " + seq + " from loop " + src + ", expected " + expected
                        + (seq < expected ? " (duplicate)" : " (lost or reordered)"));
            }
            received.set(k, expected + 1);
            parksAtReceipt.set(dst, counters[dst].get(LoopCounter.PARKS));
            if (totalReceived.incrementAndGet() == (long) n * (n - 1) * perPair) {
                startWalk(dst);
            }
        }

        void startWalk(int first) {
            SplittableRandom rnd = new SplittableRandom(first);
            walk[0] = first;
            for (int i = 1; i < walk.length; i++) {
                int next = rnd.nextInt(n - 1);
                walk[i] = next >= walk[i - 1] ? next + 1 : next;
            }
            passToken(0);
        }

        /** On {@code walk[k]}'s thread: waits until {@code walk[k + 1]} has parked, then sends it one message. */
        void passToken(int k) {
            int target = walk[k + 1];
            long mark = parksAtReceipt.get(target);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (counters[target].get(LoopCounter.PARKS) <= mark) {
                if (System.nanoTime() - deadline > 0) {
                    errors.add("hop " + (k + 1) + ": loop " + target + " did not park within 10 s");
                    done.countDown();
                    return;
                }
                Thread.onSpinWait();
            }
            int me = walk[k];
            int kk = me * n + target;
            long seq = sent.get(kk);
            sent.set(kk, seq + 1);
            group.loop(target).execute(() -> hop(k + 1, me, seq));
        }

        void hop(int k, int src, long seq) {
            int me = walk[k];
            int kk = src * n + me;
            long expected = received.get(kk);
            if (seq != expected) {
                errors.add("hop " + k + ": loop " + me + " got message " + seq + " from loop " + src + ", expected "
                        + expected);
            }
            received.set(kk, expected + 1);
            parksAtReceipt.set(me, counters[me].get(LoopCounter.PARKS));
            hopsDone.incrementAndGet();
            if (k < hops) {
                passToken(k);
            } else {
                done.countDown();
            }
        }

        void awaitDone() throws InterruptedException {
            long lastProgress = -1;
            long since = System.nanoTime();
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                if (!errors.isEmpty()) {
                    fail("mesh failed: " + errors + "\n" + dump());
                }
                long progress = totalReceived.get() + hopsDone.get();
                long now = System.nanoTime();
                if (progress != lastProgress) {
                    lastProgress = progress;
                    since = now;
                } else if (now - since > STALL_NANOS) {
                    fail("stall: no message arrived for 5 s\n" + dump());
                }
            }
            if (!errors.isEmpty()) {
                fail("mesh failed: " + errors + "\n" + dump());
            }
        }

        void assertEveryMessageOnceInOrder() {
            assertThat(errors).as("order, loss and duplicate errors").isEmpty();
            assertThat(hopsDone.get()).isEqualTo(hops);
            long total = 0;
            for (int s = 0; s < n; s++) {
                for (int d = 0; d < n; d++) {
                    if (s != d) {
                        int k = s * n + d;
                        assertThat(received.get(k)).as("loop %d -> loop %d", s, d).isEqualTo(sent.get(k))
                                .isGreaterThanOrEqualTo(perPair);
                        total += received.get(k);
                    }
                }
            }
            assertThat(total).isEqualTo((long) n * (n - 1) * perPair + hops);
        }

        String dump() {
            StringBuilder b = new StringBuilder("received " + totalReceived + " of " + (long) n * (n - 1) * perPair
                    + ", hops " + hopsDone + " of " + hops + "\n");
            for (int i = 0; i < n; i++) {
                EventLoop l = group.loop(i);
                long w = wordOf(l).get();
                b.append("loop ").append(i).append(": word ARMED=").append(w & WakeWord.ARMED).append(" RUNG=")
                        .append((w & WakeWord.RUNG) >> 1).append(" SEQ=").append(WakeWord.sequence(w))
                        .append(", parksAtReceipt ").append(parksAtReceipt.get(i)).append(", ").append(l.stats())
                        .append('\n');
                for (int d = 0; d < n; d++) {
                    if (d != i) {
                        b.append("  -> loop ").append(d).append(": sent ").append(sent.get(i * n + d))
                                .append(", received ").append(received.get(i * n + d)).append('\n');
                    }
                }
            }
            b.append(threadDump("mesh-"));
            return b.toString();
        }

        /** Sends {@code perPair} messages to each other loop in bursts of 1 to 32, pausing 0 to 200 µs between. */
        final class Pump implements Runnable {
            final int me;
            final SplittableRandom rnd;
            final int[] left;

            Pump(int me) {
                this.me = me;
                this.rnd = new SplittableRandom(31L * me + 7);
                this.left = new int[n];
                Arrays.fill(left, perPair);
                left[me] = 0;
            }

            @Override
            public void run() {
                boolean more = false;
                for (int t = 0; t < n; t++) {
                    int burst = Math.min(left[t], 1 + rnd.nextInt(32));
                    for (int i = 0; i < burst; i++) {
                        send(me, t);
                    }
                    left[t] -= burst;
                    more |= left[t] > 0;
                }
                if (more) {
                    EventLoop self = group.loop(me);
                    if (rnd.nextInt(4) == 0) {
                        self.execute(this);
                    } else {
                        self.schedule(this, rnd.nextInt(1, 200), TimeUnit.MICROSECONDS);
                    }
                }
            }
        }
    }

    private static String threadDump(String prefix) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith(prefix)) {
                b.append("thread ").append(e.getKey().getName()).append(" ").append(e.getKey().getState()).append('\n');
                for (StackTraceElement f : e.getValue()) {
                    b.append("    at ").append(f).append('\n');
                }
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- one sender, one target

    /**
     * Lone hops from {@code sender}'s thread to {@code target}: before each, the sender waits until the target has
     * parked since it ran the previous one; the test thread waits for each before the next.
     *
     * @param mark the target's parks count when it last ran a task, from {@link #parksNow}; kept up to date
     */
    private static void loneHops(EventLoop sender, EventLoop target, int hops, AtomicLong mark) throws Exception {
        LoopCounters targetCounters = countersOf(target);
        AtomicLong arrived = new AtomicLong();
        AtomicLong stuck = new AtomicLong();
        for (int i = 0; i < hops; i++) {
            long want = i + 1;
            sender.execute(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (targetCounters.get(LoopCounter.PARKS) <= mark.get()) {
                    if (System.nanoTime() - deadline > 0) {
                        stuck.incrementAndGet();
                        return;
                    }
                    Thread.onSpinWait();
                }
                target.execute(() -> {
                    mark.set(targetCounters.get(LoopCounter.PARKS));
                    arrived.incrementAndGet();
                });
            });
            await("lone hop " + want + " from " + sender + " to " + target + " (target " + target.stats() + ")",
                    LIMIT, () -> arrived.get() == want || stuck.get() > 0);
            assertThat(stuck.get()).as("the target parked before hop %d", want).isZero();
        }
    }

    /** The target's parks count, read on the target: it parks again after this task. */
    private static AtomicLong parksNow(EventLoop target) throws Exception {
        LoopCounters c = countersOf(target);
        return new AtomicLong(target.submit(() -> c.get(LoopCounter.PARKS)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldWakeByTheTargetsDoorbellWhenTheProducerIsNoLoop() throws Exception {
        try (EventLoop target = EventLoop.open(quiet("not-a-loop").build())) {
            LoopStats before = target.stats();
            WakeWord word = wordOf(target);
            for (int i = 0; i < 20; i++) {
                LoopTestSupport.awaitArmed(target, word, LIMIT);
                target.submit(() -> null).get(10, TimeUnit.SECONDS);
            }
            LoopStats after = target.stats();
            assertThat(after.wakeupsRung() - before.wakeupsRung()).isPositive();
            assertThat(after.msgRingWakes()).isZero();
        }
    }

    @Test
    void shouldRingTheTargetsDoorbellWhenTheKernelFailsTheMsgRing() throws Exception {
        try (LoopGroup group = LoopGroup.open(2, quiet("failing-msg-ring").build());
                TestFd notARing = new TestFd(Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC | Syscalls.EFD_NONBLOCK))) {
            EventLoop sender = group.loop(0);
            EventLoop target = group.loop(1);
            assumeKernel(sender, KernelFeature.MSG_RING);
            // The sender will name a fd that is no io_uring: the kernel fails the message with EBADFD, and only the
            // sender's failure CQE can bring the wake to the target, through its own doorbell.
            DoorbellDriver targetDoorbell = doorbellOf(target);
            int realFd = targetDoorbell.ringFd;
            targetDoorbell.ringFd = notARing.fd;
            try {
                AtomicLong mark = parksNow(target);
                LoopStats before = target.stats();
                long wakeCqes = countersOf(target).get(LoopCounter.LOOP_WAKE_CQES);
                loneHops(sender, target, 40, mark);
                LoopStats after = target.stats();
                long dMsg = after.msgRingWakes() - before.msgRingWakes();
                assertThat(dMsg).as("messages sent, each failed").isPositive();
                assertThat(countersOf(sender).get(LoopCounter.MSG_RING_FAILURES)).isEqualTo(dMsg);
                assertThat(after.wakeupsRung() - before.wakeupsRung()).as("each failed message rang again")
                        .isEqualTo(2 * dMsg);
                assertThat(countersOf(target).get(LoopCounter.LOOP_WAKE_CQES)).isEqualTo(wakeCqes);
            } finally {
                targetDoorbell.ringFd = realFd;
            }
        }
    }

    /** Fails every io_uring_enter that submits with {@code -EAGAIN}, without entering the kernel, while set. */
    private static final class RefusingSubmit implements SyscallLayer {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
            if (failing.get() && toSubmit > 0) {
                refused.incrementAndGet();
                return -Errno.EAGAIN;
            }
            return SyscallLayer.NATIVE.ioUringEnter(ringFd, toSubmit, minComplete, flags, arg, argSize);
        }
    }

    @Test
    void shouldRevokeAMsgRingTheKernelWouldNotTakeAndRingTheDoorbellInstead() throws Exception {
        RefusingSubmit sys = new RefusingSubmit();
        try (EventLoop sender = EventLoop.open(quiet("refusing-sender").syscalls(sys).build());
                EventLoop target = EventLoop.open(quiet("refusing-target").build())) {
            assumeKernel(sender, KernelFeature.MSG_RING);
            LoopCounters targetCounters = countersOf(target);
            AtomicLong mark = parksNow(target);
            LoopStats before = target.stats();
            long wakeCqes = targetCounters.get(LoopCounter.LOOP_WAKE_CQES);
            // While set, the sender cannot submit at all (it spins instead of sleeping): every wake it owes the
            // target is revoked from its SQ and rung through the target's doorbell.
            sys.failing.set(true);
            loneHops(sender, target, 10, mark);
            sys.failing.set(false);
            LoopStats refused = target.stats();
            assertThat(sys.refused.get()).as("submits refused").isPositive();
            assertThat(refused.msgRingWakes()).as("no MSG_RING was taken").isEqualTo(before.msgRingWakes());
            assertThat(refused.wakeupsRung() - before.wakeupsRung()).as("the doorbell rang instead").isPositive();
            // The revoked SQEs (now NOPs) reach the kernel with the sender's next submit and post nothing anywhere.
            loneHops(sender, target, 10, mark);
            sender.submit(() -> null).get(10, TimeUnit.SECONDS);
            LoopStats after = target.stats();
            long dMsg = after.msgRingWakes() - refused.msgRingWakes();
            assertThat(dMsg).as("MSG_RING works again").isPositive();
            await("the MSG_RING CQEs to be reaped", LIMIT,
                    () -> targetCounters.get(LoopCounter.LOOP_WAKE_CQES) - wakeCqes == dMsg);
            assertThat(countersOf(sender).get(LoopCounter.MSG_RING_FAILURES)).isZero();
        }
    }

    // ---------------------------------------------------------------- close

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRunOrRejectEveryMessageWhenTheGroupClosesWithMessagesInFlight(boolean fromLoopThread)
            throws Exception {
        final int cap = 1 << 20;
        final int ran = 1;
        final int rejected = 2;
        AtomicIntegerArray fate = new AtomicIntegerArray(cap);
        AtomicInteger ids = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean closeCalled = new AtomicBoolean();
        LoopGroup group = LoopGroup.open(3, quiet("closing-" + fromLoopThread).build());
        try {
            class Flood implements Runnable {
                final int me;
                final SplittableRandom rnd;

                Flood(int me) {
                    this.me = me;
                    this.rnd = new SplittableRandom(me);
                }

                /** Bursts still sent after this loop began to close: they race the other loops' terminations. */
                int afterClose;

                @Override
                public void run() {
                    EventLoop self = group.loop(me);
                    if (self.isClosed() && ++afterClose > 200) {
                        return;
                    }
                    for (int i = 0, burst = 1 + rnd.nextInt(64); i < burst; i++) {
                        int id = ids.getAndIncrement();
                        if (id >= cap) {
                            return;
                        }
                        int to = (me + 1 + rnd.nextInt(group.size() - 1)) % group.size();
                        try {
                            group.loop(to).execute(() -> {
                                if (!fate.compareAndSet(id, 0, ran)) {
                                    errors.add("message " + id + " ran after it was rejected, or twice");
                                }
                            });
                        } catch (RejectedExecutionException e) {
                            if (!fate.compareAndSet(id, 0, rejected)) {
                                errors.add("message " + id + " was rejected after it ran");
                            }
                        }
                    }
                    if (fromLoopThread && me == 0 && ids.get() > 20_000 && closeCalled.compareAndSet(false, true)) {
                        group.close();
                    }
                    if (rnd.nextInt(3) == 0) {
                        self.schedule(this, rnd.nextInt(1, 100), TimeUnit.MICROSECONDS);
                    } else {
                        self.execute(this);
                    }
                }
            }
            for (int i = 0; i < group.size(); i++) {
                group.loop(i).execute(new Flood(i));
            }
            await("20k messages in flight", LIMIT, () -> ids.get() > 20_000);
            if (fromLoopThread) {
                await("the close started on loop 0", LIMIT, closeCalled::get);
                await("every loop to terminate after a close from a loop thread", LIMIT, group::isTerminated);
            } else {
                group.close();
                assertThat(group.isTerminated()).isTrue();
            }
        } finally {
            group.close();
        }
        assertThat(errors).isEmpty();
        int sent = Math.min(ids.get(), cap);
        int ranCount = 0;
        int rejectedCount = 0;
        List<Integer> lost = new ArrayList<>();
        for (int id = 0; id < sent; id++) {
            switch (fate.get(id)) {
                case ran -> ranCount++;
                case rejected -> rejectedCount++;
                default -> {
                    if (lost.size() < 10) {
                        lost.add(id);
                    }
                }
            }
        }
        System.out.printf("close from %s: %d sent, %d ran, %d rejected%n", fromLoopThread ? "a loop" : "the test",
                sent, ranCount, rejectedCount);
        assertThat(lost).as("messages neither run nor rejected").isEmpty();
        assertThat(ranCount).isPositive();
        for (EventLoop l : group.loops()) {
            assertThat(l.isTerminated()).isTrue();
            assertThatThrownBy(() -> l.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        }
    }

    // ---------------------------------------------------------------- affinity and ATTACH_WQ

    @Test
    void shouldPinEachLoopToItsCpuAndReportItReadBack() throws Exception {
        BitSet allowed = CpuAffinity.currentThread();
        int[] cpus = allowed.stream().toArray();
        try (LoopGroup group = LoopGroup.builder().loops(2).options(quiet("pinned").build()).pinned(true).open()) {
            for (int i = 0; i < 2; i++) {
                BitSet expected = new BitSet();
                expected.set(cpus[i % cpus.length]);
                assertThat(group.loop(i).cpuAffinity()).as("loop %d", i).isEqualTo(expected);
                BitSet seenOnTheThread = group.loop(i).submit(CpuAffinity::currentThread).get(10, TimeUnit.SECONDS);
                assertThat(seenOnTheThread).isEqualTo(expected);
            }
        }
        try (EventLoop unpinned = EventLoop.open(quiet("unpinned").build())) {
            assertThat(unpinned.cpuAffinity()).as("inherited from the opening thread").isEqualTo(allowed);
        }
    }

    @Test
    void shouldNameTheCpuAndErrnoWhenALoopCannotBePinned() {
        assumeThat(CpuAffinity.currentThread().get(1023)).as("CPU 1023 must not exist here").isFalse();
        assertThatThrownBy(() -> LoopGroup.builder().loops(2).options(quiet("bad-cpu").build()).cpus(1023).open())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1023")
                .hasMessageContaining("EINVAL").hasMessageContaining("bad-cpu-0");
        int some = CpuAffinity.currentThread().nextSetBit(0);
        assertThatThrownBy(() -> EventLoop.open(quiet("half-bad-cpu").cpuAffinity(some, 1023).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{1023}")
                .hasMessageContaining("kept only {" + some + "}");
    }

    @Test
    void shouldAttachLaterRingsToTheFirstRingsWorkersOrDoWithout() throws Exception {
        try (LoopGroup group = LoopGroup.open(3, quiet("wq").build())) {
            assertThat(group.loop(0).ringFlags()).doesNotContain("ATTACH_WQ");
            assertThat(group.loop(1).ringFlags()).contains("ATTACH_WQ");
            assertThat(group.loop(2).ringFlags()).contains("ATTACH_WQ");
            assumeKernel(group.loop(0), KernelFeature.DEFER_TASKRUN);
            assertThat(group.loop(1).ringFlags()).contains("DEFER_TASKRUN", "SINGLE_ISSUER");
        }
        try (LoopGroup masked = LoopGroup.open(2, quiet("wq-masked").featureMask("ATTACH_WQ").build());
                LoopGroup off = LoopGroup.builder().loops(2).options(quiet("wq-off").build()).attachWq(false).open()) {
            for (LoopGroup g : List.of(masked, off)) {
                assertThat(g.loop(1).ringFlags()).doesNotContain("ATTACH_WQ").contains("DEFER_TASKRUN");
                assertThat(g.loop(0).submit(() -> g.loop(1).submit(() -> 42)).get(10, TimeUnit.SECONDS)
                        .get(10, TimeUnit.SECONDS)).isEqualTo(42);
            }
        }
    }

    /** An fd of the test's own, closed at the end. */
    private static final class TestFd implements AutoCloseable {
        final int fd;

        TestFd(int fd) {
            assertThat(fd).as("fd").isNotNegative();
            this.fd = fd;
        }

        @Override
        public void close() {
            Syscalls.close(fd);
        }
    }
}
