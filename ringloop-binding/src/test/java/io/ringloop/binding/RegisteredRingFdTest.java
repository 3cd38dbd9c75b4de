package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringloop.binding.TestRings.awaitOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A ring enters the kernel by its slot in the owner thread's table of registered ring fds, or by fd as a fallback. */
class RegisteredRingFdTest {
    /** The 16 slots a thread has in its table (IO_RINGFD_REG_MAX). */
    private static final int THREAD_SLOTS = 16;

    /** Records what every io_uring_enter named the ring by. */
    private static final class RecordingLayer implements SyscallLayer {
        final List<int[]> enters = new ArrayList<>();

        @Override
        public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
            enters.add(new int[] {ringFd, flags});
            return SyscallLayer.NATIVE.ioUringEnter(ringFd, toSubmit, minComplete, flags, arg, argSize);
        }
    }

    private static void assumeKernelHasIt(Ring ring) {
        assumeTrue(ring.evidentRelease() >= KernelFeature.REGISTER_RING_FDS.sinceRelease(),
                "kernel shows " + KernelFeature.version(ring.evidentRelease()) + ", before REGISTER_RING_FDS");
    }

    private static void nopRoundTrip(Ring ring, long userData) {
        ring.sq().nop(userData);
        assertThat(awaitOne(ring, "NOP " + userData)).isEqualTo(new Completion(userData, 0, 0));
    }

    @Test
    void shouldEnterByTheRegisteredSlotWhereTheKernelHasIt() {
        RecordingLayer sys = new RecordingLayer();
        try (Ring ring = Ring.open(RingOptions.of(8).withSyscalls(sys))) {
            assumeKernelHasIt(ring);
            assertThat(ring.registeredRingSlot()).as("%s, refusal %d", ring, ring.ringFdRefusal())
                    .isBetween(0, THREAD_SLOTS - 1);
            nopRoundTrip(ring, 7);
            assertThat(sys.enters).as("enters").isNotEmpty();
            for (int[] e : sys.enters) {
                assertThat(e[0]).as("what the enter named the ring by").isEqualTo(ring.registeredRingSlot());
                assertThat(e[1] & IoUringFlags.ENTER_REGISTERED_RING).as("enter flags 0x%x", e[1]).isNotZero();
            }
        }
    }

    @Test
    void shouldEnterByFdWhenRingFdsIsMasked() {
        RecordingLayer sys = new RecordingLayer();
        try (Ring ring = Ring.open(RingOptions.of(8).withSyscalls(sys).withMask(FeatureMask.parse("RING_FDS")))) {
            assertThat(ring.registeredRingSlot()).isEqualTo(-1);
            assertThat(ring.ringFdRefusal()).as("masked: never asked").isZero();
            nopRoundTrip(ring, 8);
            assertThat(sys.enters).as("enters").isNotEmpty();
            for (int[] e : sys.enters) {
                assertThat(e[0]).as("what the enter named the ring by").isEqualTo(ring.fd());
                assertThat(e[1] & IoUringFlags.ENTER_REGISTERED_RING).as("enter flags 0x%x", e[1]).isZero();
            }
        }
    }

    @Test
    void shouldGiveTheSlotBackAtClose() {
        // A close that kept the slot would use up the thread's 16 slots within this loop (and keep every ring alive).
        for (int i = 0; i < 3 * THREAD_SLOTS; i++) {
            try (Ring ring = Ring.open(RingOptions.of(4))) {
                assumeKernelHasIt(ring);
                assertThat(ring.registeredRingSlot()).as("ring %d of one thread, each closed before the next: %s, "
                        + "refusal %s", i, ring, Errno.name(-ring.ringFdRefusal())).isGreaterThanOrEqualTo(0);
                nopRoundTrip(ring, i);
            }
        }
    }

    @Test
    void shouldEnterByFdOnceTheThreadsSlotsAreTaken() {
        List<Ring> rings = new ArrayList<>();
        try {
            Ring refused = null;
            for (int i = 0; i <= THREAD_SLOTS && refused == null; i++) {
                Ring ring = Ring.open(RingOptions.of(4));
                rings.add(ring);
                assumeKernelHasIt(ring);
                if (ring.registeredRingSlot() < 0) {
                    refused = ring;
                }
            }
            assertThat(refused).as("a thread's %d slots ran out within %d rings", THREAD_SLOTS, rings.size())
                    .isNotNull();
            assertThat(refused.ringFdRefusal()).as(Errno.name(-refused.ringFdRefusal())).isEqualTo(-Errno.EBUSY);
            nopRoundTrip(refused, 99);
            for (int i = 0; i < rings.size(); i++) {
                nopRoundTrip(rings.get(i), i);
            }
        } finally {
            rings.forEach(Ring::close);
        }
        try (Ring again = Ring.open(RingOptions.of(4))) {
            assertThat(again.registeredRingSlot()).as("slots given back at close").isGreaterThanOrEqualTo(0);
        }
    }
}
