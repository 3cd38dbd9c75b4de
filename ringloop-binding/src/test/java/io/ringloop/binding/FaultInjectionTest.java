package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.kernel.IoUringUnavailableException;
import io.ringloop.kernel.NativeCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;

import static io.ringloop.binding.TestRings.awaitOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Faults injected through the {@link SyscallLayer} seam, against real rings. */
class FaultInjectionTest {
    /** Fails io_uring_setup with {@code -errno} for the first {@code times} calls, then asks the kernel. */
    private static final class FailingSetup implements SyscallLayer {
        final int errno;
        final int times;
        final AtomicInteger calls = new AtomicInteger();

        FailingSetup(int errno, int times) {
            this.errno = errno;
            this.times = times;
        }

        @Override
        public long ioUringSetup(int entries, long params) {
            if (calls.getAndIncrement() < times) {
                return -errno;
            }
            return SyscallLayer.NATIVE.ioUringSetup(entries, params);
        }
    }

    /** Answers the next {@code io_uring_enter} that waits (GETEVENTS) with {@code -errno} instead of entering. */
    private static final class FailingWait implements SyscallLayer {
        final int errno;
        int remaining;

        FailingWait(int errno, int times) {
            this.errno = errno;
            this.remaining = times;
        }

        @Override
        public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
            if ((flags & IoUringFlags.ENTER_GETEVENTS) != 0 && remaining > 0) {
                remaining--;
                return -errno;
            }
            return SyscallLayer.NATIVE.ioUringEnter(ringFd, toSubmit, minComplete, flags, arg, argSize);
        }
    }

    @ParameterizedTest(name = "io_uring_setup failing with -{0}")
    @ValueSource(ints = {Errno.ENOMEM, Errno.EPERM, Errno.ENOSYS})
    void shouldThrowIoUringUnavailableNamingTheCauseWhenSetupFails(int errno) {
        FailingSetup layer = new FailingSetup(errno, Integer.MAX_VALUE);
        IoUringUnavailableException e = catchThrowableOfType(IoUringUnavailableException.class,
                () -> Ring.open(RingOptions.of(8).withSyscalls(layer)));
        assertThat(e).as("Ring.open with io_uring_setup failing with %s", Errno.name(errno)).isNotNull();
        assertThat(e.errno()).isEqualTo(errno);
        assertThat(e.errnoName()).isEqualTo(Errno.name(errno));
        assertThat(e.getMessage()).startsWith("io_uring is unavailable: ").contains("(" + Errno.name(errno) + ")");
        assertThat(layer.calls.get()).as("no retry for an unavailable kernel").isEqualTo(1);
    }

    @Test
    void shouldExplainEachUnavailableCause() {
        assertThat(IoUringUnavailableException.of(-Errno.ENOSYS).getMessage()).contains("CONFIG_IO_URING");
        assertThat(IoUringUnavailableException.of(-Errno.EPERM).getMessage())
                .contains("kernel.io_uring_disabled").contains("seccomp");
        assertThat(IoUringUnavailableException.of(-Errno.ENOMEM).getMessage()).contains("RLIMIT_MEMLOCK");
    }

    @Test
    void shouldThrowAPlainNativeCallExceptionForOtherSetupErrors() {
        FailingSetup layer = new FailingSetup(Errno.EFAULT, Integer.MAX_VALUE);
        assertThatThrownBy(() -> Ring.open(RingOptions.of(8).withSyscalls(layer)))
                .isExactlyInstanceOf(NativeCallException.class)
                .hasMessageContaining("io_uring_setup(entries=8")
                .hasMessageContaining("EFAULT (-14)")
                .satisfies(t -> assertThat(((NativeCallException) t).errno()).isEqualTo(Errno.EFAULT));
    }

    @Test
    void shouldDropTheNewestSetupFlagFirstOnEinval() {
        try (Ring ring = Ring.open(RingOptions.of(8).withMask(FeatureMask.NONE)
                .withSyscalls(new FailingSetup(Errno.EINVAL, 1)))) {
            assertThat(ring.has(SetupFlags.NO_SQARRAY)).as("%s", ring).isFalse();
            assertThat(ring.has(SetupFlags.DEFER_TASKRUN)).as("%s", ring).isTrue();
            ring.sq().nop(1);
            assertThat(awaitOne(ring, "NOP")).isEqualTo(new Completion(1, 0, 0));
        }
        try (Ring ring = Ring.open(RingOptions.of(8).withMask(FeatureMask.NONE)
                .withSyscalls(new FailingSetup(Errno.EINVAL, 2)))) {
            assertThat(ring.has(SetupFlags.DEFER_TASKRUN)).as("%s", ring).isFalse();
            assertThat(ring.has(SetupFlags.SINGLE_ISSUER)).as("%s", ring).isTrue();
        }
        try (Ring ring = Ring.open(RingOptions.of(8).withMask(FeatureMask.NONE)
                .withSyscalls(new FailingSetup(Errno.EINVAL, 3)))) {
            assertThat(ring.has(SetupFlags.SINGLE_ISSUER)).as("%s", ring).isFalse();
            assertThat(ring.has(SetupFlags.DEFER_TASKRUN)).as("%s", ring).isFalse();
            assertThat(ring.has(SetupFlags.COOP_TASKRUN | SetupFlags.TASKRUN_FLAG)).as("%s", ring).isTrue();
        }
    }

    @Test
    void shouldGiveUpWithEinvalAfterDroppingEveryOptionalFlag() {
        FailingSetup layer = new FailingSetup(Errno.EINVAL, Integer.MAX_VALUE);
        assertThatThrownBy(() -> Ring.open(RingOptions.of(8).withSyscalls(layer)))
                .isExactlyInstanceOf(NativeCallException.class)
                .hasMessageContaining("EINVAL");
        assertThat(layer.calls.get()).as("one try with everything, then one per dropped flag").isEqualTo(7);
    }

    @Test
    void shouldSurfaceEintrFromATimedWaitAndWorkOnRetry() {
        FailingWait layer = new FailingWait(Errno.EINTR, 1);
        try (Ring ring = Ring.open(RingOptions.of(8).withSyscalls(layer))) {
            ring.sq().nop(1);
            assertThat(ring.submitAndWait(1, TestRings.WAIT_NANOS)).isEqualTo(-Errno.EINTR);
            assertThat(ring.cq().ready()).isZero();
            assertThat(ring.submitAndWait(1, TestRings.WAIT_NANOS)).as("the retry submits the NOP").isPositive();
            assertThat(TestRings.reapNow(ring)).containsExactly(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldSurfaceEintrFromAnUnboundedWait() {
        FailingWait layer = new FailingWait(Errno.EINTR, 1);
        try (Ring ring = Ring.open(RingOptions.of(8).withSyscalls(layer))) {
            ring.sq().nop(1);
            assertThat(ring.submitAndWait(1, Long.MAX_VALUE)).isEqualTo(-Errno.EINTR);
            assertThat(ring.submitAndWait(1, Long.MAX_VALUE)).isEqualTo(1);
            assertThat(TestRings.reapNow(ring)).containsExactly(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldSurfaceEintrFromAWaitBoundedByTheInternalTimeout() {
        FailingWait layer = new FailingWait(Errno.EINTR, 1);
        try (Ring ring = Ring.open(RingOptions.of(8).withSyscalls(layer).withMask(FeatureMask.parse("EXT_ARG")))) {
            ring.sq().nop(1);
            assertThat(ring.submitAndWait(1, TestRings.WAIT_NANOS)).isEqualTo(-Errno.EINTR);
            assertThat(TestRings.await(ring, 1, "the NOP after EINTR")).containsExactly(new Completion(1, 0, 0));
        }
    }

    @Test
    void shouldNotEnterTheKernelToSubmitNothing() {
        AtomicInteger enters = new AtomicInteger();
        SyscallLayer counting = new SyscallLayer() {
            @Override
            public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
                enters.incrementAndGet();
                return SyscallLayer.NATIVE.ioUringEnter(ringFd, toSubmit, minComplete, flags, arg, argSize);
            }
        };
        try (Ring ring = Ring.open(RingOptions.of(8).withSyscalls(counting))) {
            assertThat(ring.submit()).isZero();
            assertThat(enters.get()).isZero();
            ring.sq().nop(1);
            assertThat(ring.submit()).isEqualTo(1);
            assertThat(enters.get()).isEqualTo(1);
            assertThat(ring.syscalls()).isSameAs(counting);
        }
    }
}
