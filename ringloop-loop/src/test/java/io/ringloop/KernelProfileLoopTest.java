package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.wordOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A loop and a group under each kernel profile: what they choose, that tasks, parks, wakes, timers and I/O work
 * through the fallbacks, that the close cancels I/O without {@code ASYNC_CANCEL_ANY}, and that what a release lacks
 * is refused by name.
 */
class KernelProfileLoopTest {
    @BeforeAll
    static void onIoUringOnly() {
        // Each profile is a kernel ring's; the epoll backend's run (the IO_URING mask) has one release of its own.
        assumeFalse(FeatureMask.fromSystemProperty().hidesIoUring(), "io_uring hidden by the mask");
    }

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private static LoopOptions.Builder profile(String release) {
        return LoopOptions.builder().kernelProfile(release).maxParkNanos(Duration.ofSeconds(30).toNanos())
                .threadName("profile-" + release);
    }

    private static boolean atLeast(String release, String version) {
        return KernelFeature.release(release) >= KernelFeature.release(version);
    }

    /** A poll on an eventfd nobody writes: in flight until cancelled. */
    private static final class Stuck implements IoRequest {
        final int fd;
        final AtomicInteger result = new AtomicInteger(1);

        Stuck(int fd) {
            this.fd = fd;
        }

        @Override
        public void prepare(SubmissionQueue sq, long userData) {
            sq.pollAdd(fd, IoUringFlags.POLLIN, false, userData);
        }

        @Override
        public boolean complete(int res, int flags) {
            result.set(res);
            return true;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "5.15", "5.19", "6.1", "6.6"})
    void shouldRunParkWakeTimeAndCancelUnderEveryProfile(String release) throws Exception {
        int efd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC | Syscalls.EFD_NONBLOCK);
        assertThat(efd).isGreaterThanOrEqualTo(0);
        try {
            List<Stuck> stuck = List.of(new Stuck(efd), new Stuck(efd), new Stuck(efd));
            long closeNanos;
            EventLoop loop = EventLoop.open(profile(release).spinNanos(0).build());
            try {
                assertThat(loop.options().featureMask().profileName()).isEqualTo(release);
                assertThat(loop.doorbell()).as("AUTO under %s", release).isEqualTo(atLeast(release, "5.13")
                        ? Doorbell.EVENTFD_POLL_MULTISHOT : Doorbell.EVENTFD_READ);
                assertThat(loop.supports(KernelFeature.ASYNC_CANCEL_ANY)).isEqualTo(atLeast(release, "5.19"));
                assertThat(loop.supports(KernelFeature.EXT_ARG)).isEqualTo(atLeast(release, "5.11"));
                assertThat(loop.supports(KernelFeature.FUTEX_WAIT)).isFalse();
                List<String> flags = loop.ringFlags();
                assertThat(flags.contains("COOP_TASKRUN")).as("%s", flags).isEqualTo(atLeast(release, "5.19"));
                assertThat(flags.contains("DEFER_TASKRUN")).as("%s", flags).isEqualTo(atLeast(release, "6.1"));
                assertThat(flags.contains("NO_SQARRAY")).as("%s", flags).isEqualTo(atLeast(release, "6.6"));

                assertThat(loop.submit(loop::inEventLoop).get(10, TimeUnit.SECONDS)).isTrue();
                WakeWord word = wordOf(loop);
                for (int i = 0; i < 20; i++) {
                    awaitArmed(loop, word, LIMIT);
                    CountDownLatch ran = new CountDownLatch(1);
                    loop.execute(ran::countDown);
                    assertThat(ran.await(5, TimeUnit.SECONDS)).as("wake %d of a parked loop", i).isTrue();
                }
                // Timers bound the sleep: through the internal timeout SQE before EXT_ARG (5.11), and its
                // replacement before TIMEOUT_UPDATE (5.11 too) when a nearer timer comes along.
                AtomicLong late = new AtomicLong();
                long start = System.nanoTime();
                CountDownLatch far = new CountDownLatch(1);
                CountDownLatch near = new CountDownLatch(1);
                loop.schedule(far::countDown, 300, TimeUnit.MILLISECONDS);
                awaitArmed(loop, word, LIMIT);
                loop.schedule(() -> {
                    late.set(System.nanoTime() - start);
                    near.countDown();
                }, 30, TimeUnit.MILLISECONDS);
                assertThat(near.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(late.get()).as("the nearer timer ran on time").isGreaterThanOrEqualTo(30_000_000L)
                        .isLessThan(250_000_000L);
                assertThat(far.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);

                loop.submit(() -> {
                    stuck.forEach(r -> LoopInternals.submitIo(loop, r));
                    return null;
                }).get(10, TimeUnit.SECONDS);
            } finally {
                long t0 = System.nanoTime();
                loop.close();
                closeNanos = System.nanoTime() - t0;
            }
            assertThat(stuck).as("the close cancelled every request in the kernel (one by one before 5.19)")
                    .allSatisfy(s -> assertThat(s.result.get()).isEqualTo(-Errno.ECANCELED));
            assertThat(closeNanos).as("the kernel answered the cancels, no grace period ran out")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
        } finally {
            Syscalls.close(efd);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "5.15", "5.19", "6.1", "6.6"})
    void shouldWakeLoopsOfAGroupByMsgRingOnlyWhereItExists(String release) throws Exception {
        // In the ring: an idle loop asleep on its word is woken by a futex wake, not MSG_RING, whatever the release.
        try (LoopGroup group = LoopGroup.open(2, profile(release).spinNanos(0).wordSleep(false).build())) {
            EventLoop target = group.loop(1);
            WakeWord word = wordOf(target);
            for (int i = 0; i < 10; i++) {
                awaitArmed(target, word, LIMIT);
                CountDownLatch ran = new CountDownLatch(1);
                group.loop(0).execute(() -> target.execute(ran::countDown));
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("hop %d", i).isTrue();
            }
            LoopStats s = target.stats();
            if (atLeast(release, "5.18")) {
                assertThat(s.msgRingWakes()).as("%s", s).isPositive();
            } else {
                assertThat(s.msgRingWakes()).as("no MSG_RING before 5.18: %s", s).isZero();
                assertThat(s.wakeupsRung()).as("%s", s).isGreaterThanOrEqualTo(10);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "5.15", "5.19", "6.1", "6.6"})
    void shouldRefuseWhatTheProfileLacksByNameAndRelease(String release) {
        if (!atLeast(release, "5.13")) {
            assertThatThrownBy(() -> EventLoop.open(profile(release).doorbell(Doorbell.EVENTFD_POLL_MULTISHOT)
                    .build())).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("IORING_POLL_ADD_MULTI (Linux 5.13+)");
        }
        assertThatThrownBy(() -> EventLoop.open(profile(release).doorbell(Doorbell.FUTEX_WAIT).build()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IORING_OP_FUTEX_WAIT (Linux 6.7+)");
        assertThatThrownBy(() -> EventLoop.open(profile(release).doorbell(Doorbell.SEND_MSG_RING).build()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IORING_REGISTER_SEND_MSG_RING (Linux 6.13+)");
        assertThatThrownBy(() -> EventLoop.open(profile(release).featureMask("ASYNC_CANCEL").build()))
                .as("below the loop's floor").isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IORING_OP_ASYNC_CANCEL (Linux 5.5+)")
                .hasMessageContaining("profile " + release);
        try (EventLoop loop = EventLoop.open(profile(release).build())) {
            Throwable t = loop.submit(() -> LoopInternals.openBufferRing(loop, 8, 64)).handle((r, e) -> e).join();
            if (atLeast(release, "5.19")) {
                assertThat(t).as("buffer rings from 5.19").isNull();
            } else {
                assertThat(t).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("IORING_REGISTER_PBUF_RING (Linux 5.19+)");
            }
        }
    }
}
