package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.Ring;
import io.ringloop.binding.RingOptions;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;
import io.ringloop.kernel.IoUringUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringloop.LoopTestSupport.await;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Failures injected through the {@link SyscallLayer} seam, against a real ring. */
class FaultInjectionTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    /** Makes the next {@code failures} io_uring_enter calls fail with {@code -errno} without entering the kernel. */
    private static final class FailingEnter implements SyscallLayer {
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger injected = new AtomicInteger();
        volatile int errno;

        @Override
        public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                injected.incrementAndGet();
                return -errno;
            }
            return SyscallLayer.NATIVE.ioUringEnter(ringFd, toSubmit, minComplete, flags, arg, argSize);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.EINTR, Errno.EAGAIN, Errno.EBUSY, Errno.ETIME})
    void shouldSurviveIoUringEnterFailingWith(int errno) throws Exception {
        FailingEnter sys = new FailingEnter();
        sys.errno = errno;
        for (Doorbell d : new Doorbell[] {Doorbell.EVENTFD_POLL_MULTISHOT, Doorbell.EVENTFD_READ, Doorbell.FUTEX_WAIT,
            Doorbell.SEND_MSG_RING}) {
            try (EventLoop loop = EventLoop.open(quiet(d).spinNanos(0).syscalls(sys).build())) {
                WakeWord word = wordOf(loop);
                for (int i = 0; i < 20; i++) {
                    sys.failures.set(3);
                    loop.execute(() -> { });
                    awaitArmed(loop, word, LIMIT);
                    CountDownLatch ran = new CountDownLatch(1);
                    loop.execute(ran::countDown);
                    assertThat(ran.await(5, TimeUnit.SECONDS)).as("%s: task ran despite -%s", d, Errno.name(errno))
                            .isTrue();
                }
                assertThat(sys.injected.get()).isPositive();
            }
        }
    }

    @Test
    void shouldTreatASaturatedEventfdAsAlreadyRung() throws Exception {
        AtomicInteger eagains = new AtomicInteger();
        SyscallLayer saturated = new SyscallLayer() {
            @Override
            public long write(int fd, long address, long length) {
                long r = SyscallLayer.NATIVE.write(fd, address, length);
                eagains.incrementAndGet();
                // The write went through (the fd is readable, the wake is pending); report what a saturated
                // counter reports, so the ringer must not retry forever or throw.
                return r < 0 ? r : -Errno.EAGAIN;
            }
        };
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.EVENTFD_POLL_MULTISHOT).spinNanos(0).syscalls(saturated)
                .build())) {
            WakeWord word = wordOf(loop);
            for (int i = 0; i < 20; i++) {
                awaitArmed(loop, word, LIMIT);
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(eagains.get()).isEqualTo(20);
        }
    }

    @Test
    void shouldReportIoUringUnavailableWhenSetupFailsWithEnomem() {
        // Faults of the kernel's io_uring itself: the epoll backend's run has none to inject.
        assumeFalse(FeatureMask.fromSystemProperty().hidesIoUring(), "io_uring hidden by the mask");
        SyscallLayer noMemory = new SyscallLayer() {
            @Override
            public long ioUringSetup(int entries, long params) {
                return -Errno.ENOMEM;
            }
        };
        assertThatThrownBy(() -> EventLoop.open(quiet(Doorbell.AUTO).backend(Backend.IO_URING).syscalls(noMemory)
                .build()))
                .isInstanceOf(IoUringUnavailableException.class).hasMessageContaining("ENOMEM")
                .hasMessageContaining("MEMLOCK");
        // AUTO takes the refusal as "no io_uring here" and runs the loop on epoll instead.
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).syscalls(noMemory).build())) {
            assertThat(loop.backend()).isEqualTo(Backend.EPOLL);
            assertThat(loop.submit(() -> 42).join()).isEqualTo(42);
        }
    }

    @Test
    void shouldRearmThroughAFullSq() {
        // Faults of the kernel's io_uring itself: the epoll backend's run has none to inject.
        assumeFalse(FeatureMask.fromSystemProperty().hidesIoUring(), "io_uring hidden by the mask");
        LoopCounters counters = new LoopCounters();
        EventfdPollDoorbell doorbell = new EventfdPollDoorbell(SyscallLayer.NATIVE, counters);
        try (Ring ring = Ring.open(RingOptions.of(4)); Arena arena = Arena.ofConfined()) {
            doorbell.install(ring, new WakeWord());
            ring.submit();
            // End the poll for real; its final CQE (no F_MORE) goes to the doorbell.
            ring.sq().pollRemove(DoorbellDriver.USER_DATA, 0x7001L);
            ring.submit();
            ring.getEvents();
            int[] ended = {0};
            ring.cq().reap((u, r, f) -> {
                if (u == DoorbellDriver.USER_DATA) {
                    ended[0]++;
                    assertThat(f & IoUringFlags.CQE_F_MORE).isZero();
                    doorbell.onCompletion(u, r, f);
                }
            }, 100);
            assertThat(ended[0]).isEqualTo(1);
            SubmissionQueue sq = ring.sq();
            while (sq.nop(0x7000L)) {
                // fill the SQ without submitting: the re-arm is due while the SQ is full
            }
            assertThat(sq.available()).isZero();
            assertThat(doorbell.afterReap(ring)).as("re-arm paid through the full SQ").isTrue();
            assertThat(counters.get(LoopCounter.DOORBELL_REARMS)).isEqualTo(1);
            ring.submit();
            ring.getEvents();
            ring.cq().reap((u, r, f) -> { }, 1000);
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            assertThat(Syscalls.write(doorbell.fd, one)).isEqualTo(8);
            assertThat(ring.submitAndWait(1, TimeUnit.SECONDS.toNanos(5))).isGreaterThanOrEqualTo(0);
            long[] seen = {0};
            ring.cq().reap((u, r, f) -> {
                if (u == DoorbellDriver.USER_DATA) {
                    seen[0]++;
                }
            }, 1000);
            assertThat(seen[0]).as("the re-armed poll fired on the next write").isEqualTo(1);
        } finally {
            doorbell.close();
        }
    }

    @Test
    void shouldNeverWriteToAClosedOrReusedEventfd() throws Exception {
        for (int round = 0; round < 20; round++) {
            AtomicBoolean delayWrites = new AtomicBoolean(true);
            CountDownLatch inWrite = new CountDownLatch(1);
            SyscallLayer slowRinger = new SyscallLayer() {
                @Override
                public long write(int fd, long address, long length) {
                    if (delayWrites.get()) {
                        inWrite.countDown();
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                        while (System.nanoTime() - end < 0) {
                            Thread.onSpinWait();
                        }
                    }
                    return SyscallLayer.NATIVE.write(fd, address, length);
                }
            };
            // A short maxPark lets the loop terminate on its own while the ringer is still inside its write. In the
            // ring: a loop asleep on its word is woken by a futex wake, and no bell would write the eventfd.
            EventLoop loop = EventLoop.open(LoopOptions.builder().doorbell(Doorbell.EVENTFD_POLL_MULTISHOT)
                    .spinNanos(0).maxParkNanos(100_000).syscalls(slowRinger).wordSleep(false).build());
            int eventfd = ((EventfdDoorbell) LoopTestSupport.doorbellOf(loop)).fd;
            awaitArmed(loop, wordOf(loop), LIMIT);
            Thread ringer = new Thread(() -> loop.execute(() -> { }));
            ringer.start();
            if (!inWrite.await(1, TimeUnit.SECONDS)) {
                ringer.join();
                loop.close();
                continue;
            }
            loop.close();
            // The fd number is free again only if the loop closed its eventfd; take it.
            int reused = Syscalls.eventfd(0, Syscalls.EFD_NONBLOCK);
            ringer.join();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(JAVA_LONG);
                long r = Syscalls.read(reused, buf);
                if (reused == eventfd) {
                    assertThat(r).as("a producer's bell reached fd %d after the loop closed it", reused)
                            .isEqualTo(-Errno.EAGAIN);
                }
            } finally {
                Syscalls.close(reused);
            }
        }
    }

    @Test
    void shouldReapDeferredCompletionsWhileTheLoopNeverIdles() throws Exception {
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).build())) {
            long pipe = Syscalls.pipe2(Syscalls.O_CLOEXEC);
            int readFd = (int) pipe;
            int writeFd = (int) (pipe >>> 32);
            AtomicBoolean done = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            try (Arena arena = Arena.ofConfined()) {
                loop.execute(() -> LoopInternals.submitIo(loop, new IoRequest() {
                    @Override
                    public void prepare(SubmissionQueue sq, long userData) {
                        sq.pollAdd(readFd, IoUringFlags.POLLIN, false, userData);
                    }

                    @Override
                    public boolean complete(int res, int flags) {
                        done.set(true);
                        return true;
                    }
                }));
                // Keep the loop busy forever: it never idles, so only the TASKRUN flag tells it to reap.
                Runnable busy = new Runnable() {
                    @Override
                    public void run() {
                        if (!stop.get()) {
                            loop.execute(this);
                        }
                    }
                };
                loop.execute(busy);
                try {
                    await("the loop to be busy", LIMIT, () -> loop.stats().tasksRun() > 10_000);
                    long parksWhileBusy = loop.stats().parks();
                    assertThat(Syscalls.write(writeFd, arena.allocateFrom(JAVA_LONG, 1L))).isEqualTo(8);
                    await("the poll completion to be reaped while the loop is busy", LIMIT, done::get);
                    assertThat(loop.stats().parks()).as("no park in between").isEqualTo(parksWhileBusy);
                } finally {
                    // Or close() would wait forever for the self-re-executing task to stop.
                    stop.set(true);
                }
            } finally {
                Syscalls.close(readFd);
                Syscalls.close(writeFd);
            }
        }
    }
}
