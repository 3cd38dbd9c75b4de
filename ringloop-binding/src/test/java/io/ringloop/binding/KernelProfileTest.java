package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.find;
import static io.ringloop.binding.TestRings.reapNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kernel profiles: the table's versions, what a profile hides, and the 5.10 wait path that has no timeout update. */
class KernelProfileTest {
    private static Ring openProfile(String release) {
        return Ring.open(RingOptions.of(8).withMask(FeatureMask.profile(release)));
    }

    @Test
    void shouldGiveTheFirstReleaseOfWhatRingloopDependsOn() {
        assertThat(KernelFeature.EXT_ARG.since()).isEqualTo("5.11");
        assertThat(KernelFeature.TIMEOUT_UPDATE.since()).isEqualTo("5.11");
        assertThat(KernelFeature.POLL_ADD_MULTI.since()).isEqualTo("5.13");
        assertThat(KernelFeature.CQE_SKIP.since()).isEqualTo("5.17");
        assertThat(KernelFeature.MSG_RING.since()).isEqualTo("5.18");
        assertThat(KernelFeature.REGISTER_RING_FDS.since()).isEqualTo("5.18");
        assertThat(KernelFeature.ASYNC_CANCEL_ANY.since()).isEqualTo("5.19");
        assertThat(KernelFeature.ASYNC_CANCEL_ALL.since()).isEqualTo("5.19");
        assertThat(KernelFeature.REGISTER_PBUF_RING.since()).isEqualTo("5.19");
        assertThat(KernelFeature.ACCEPT_MULTISHOT.since()).isEqualTo("5.19");
        assertThat(KernelFeature.RECV_MULTISHOT.since()).isEqualTo("6.0");
        assertThat(KernelFeature.SINGLE_ISSUER.since()).isEqualTo("6.0");
        assertThat(KernelFeature.DEFER_TASKRUN.since()).isEqualTo("6.1");
        assertThat(KernelFeature.NO_SQARRAY.since()).isEqualTo("6.6");
        assertThat(KernelFeature.FUTEX_WAIT.since()).isEqualTo("6.7");
        assertThat(KernelFeature.RECVSEND_BUNDLE.since()).isEqualTo("6.10");
        assertThat(KernelFeature.REGISTER_SEND_MSG_RING.since()).isEqualTo("6.13");
        assertThat(KernelFeature.POLL_ADD_MULTI.describe()).isEqualTo("IORING_POLL_ADD_MULTI (Linux 5.13+)");
    }

    @Test
    void shouldNameEveryFlagFeatureAndOpcodeOfTheConstantTablesThatItKnows() {
        for (KernelFeature f : KernelFeature.values()) {
            if (!f.unreported()) {
                assertThat(f.value()).as("%s is in its constant table", f).isGreaterThanOrEqualTo(0);
                if (f.kind() != KernelFeature.Kind.OPCODE) {
                    assertThat(Integer.bitCount(f.value())).as("%s is one bit", f).isEqualTo(1);
                }
            }
            assertThat(KernelFeature.byName("IORING_" + f.name())).as("%s by its C name", f).isEqualTo(f);
        }
        assertThat(KernelFeature.FUTEX_WAIT.value()).isEqualTo(Opcode.FUTEX_WAIT);
        assertThat(KernelFeature.DEFER_TASKRUN.value()).isEqualTo(SetupFlags.DEFER_TASKRUN);
        assertThat(KernelFeature.EXT_ARG.value()).isEqualTo(Features.EXT_ARG);
    }

    @Test
    void shouldHideEverythingNewerThanTheProfileAndNothingOlder() {
        FeatureMask m = FeatureMask.profile("5.15");
        assertThat(m.profileName()).isEqualTo("5.15");
        for (KernelFeature f : KernelFeature.values()) {
            assertThat(m.hides(f)).as("%s (since %s) under 5.15", f, f.since())
                    .isEqualTo(f.sinceRelease() > KernelFeature.release("5.15"));
        }
        assertThat(m.masks("SEND_MSG_RING")).isTrue();
        assertThat(m.masks("POLL_ADD_MULTI")).isFalse();
        assertThat(m.masksOpcode(Opcode.MSG_RING)).isTrue();
        assertThat(m.masksOpcode(Opcode.SHUTDOWN)).isFalse();
    }

    @Test
    void shouldCombineAProfileWithNamesAndKeepTheOlderProfile() {
        FeatureMask m = FeatureMask.profile("6.6").and(FeatureMask.parse("POLL_ADD_MULTI"))
                .and(FeatureMask.profile("5.19"));
        assertThat(m.profileName()).isEqualTo("5.19");
        assertThat(m.hides(KernelFeature.POLL_ADD_MULTI)).isTrue();
        assertThat(m.hides(KernelFeature.RECV_MULTISHOT)).isTrue();
        assertThat(m.hides(KernelFeature.ACCEPT_MULTISHOT)).isFalse();
        assertThat(m.describe()).isEqualTo("profile 5.19 + [POLL_ADD_MULTI]");
        assertThatThrownBy(() -> FeatureMask.profile("five")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("major.minor");
    }

    @Test
    void shouldReadTheProfileFromItsSystemProperty() {
        String before = System.getProperty(FeatureMask.PROFILE_PROPERTY);
        try {
            System.setProperty(FeatureMask.PROFILE_PROPERTY, "5.10");
            assertThat(FeatureMask.fromSystemProperty().profileName()).isEqualTo("5.10");
            try (Ring ring = Ring.open(RingOptions.of(8))) {
                assertThat(ring.setupFlags()).as("no flag newer than 5.10: %s", ring).isZero();
                assertThat(ring.features() & Features.EXT_ARG).isZero();
                assertThat(ring.probe().supports(Opcode.SHUTDOWN)).isFalse();
                assertThat(ring.probe().supports(Opcode.READ)).isTrue();
            }
        } finally {
            if (before == null) {
                System.clearProperty(FeatureMask.PROFILE_PROPERTY);
            } else {
                System.setProperty(FeatureMask.PROFILE_PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "5.15", "5.19", "6.1", "6.6"})
    void shouldInferTheUnreportedFlagsFromTheReleaseTheKernelShows(String release) {
        int r = KernelFeature.release(release);
        try (Ring ring = openProfile(release)) {
            assertThat(ring.evidentRelease()).as("the profile's kernel shows at most %s", release)
                    .isLessThanOrEqualTo(r);
            for (KernelFeature f : KernelFeature.values()) {
                if (f.sinceRelease() > r) {
                    assertThat(ring.supports(f)).as("%s (since %s) under %s", f, f.since(), release).isFalse();
                }
            }
            // These releases each add something the probe or the feature bits show, so nothing older is lost.
            for (KernelFeature f : List.of(KernelFeature.TIMEOUT_UPDATE, KernelFeature.POLL_ADD_MULTI,
                    KernelFeature.ASYNC_CANCEL_ANY, KernelFeature.REGISTER_PBUF_RING, KernelFeature.RECV_MULTISHOT)) {
                assertThat(ring.supports(f)).as("%s (since %s) under %s", f, f.since(), release)
                        .isEqualTo(f.sinceRelease() <= r);
            }
        }
    }

    @Test
    void shouldRefuseABufferRingBefore519NamingWhatIsMissing() {
        try (Ring ring = openProfile("5.15")) {
            assertThatThrownBy(() -> ProvidedBufferRing.register(ring, 0, 8, 64))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("IORING_REGISTER_PBUF_RING (Linux 5.19+)")
                    .hasMessageContaining("profile 5.15");
        }
    }

    @Test
    void shouldBoundWaitsWithoutTimeoutUpdateOrCqeSkipOn510() {
        try (Ring ring = openProfile("5.10")) {
            assertThat(ring.supports(KernelFeature.TIMEOUT_UPDATE)).isFalse();
            assertThat(ring.features() & (Features.EXT_ARG | Features.CQE_SKIP)).isZero();
            long start = System.nanoTime();
            assertThat(ring.submitAndWait(1, 30_000_000L)).isGreaterThanOrEqualTo(0);
            assertThat(System.nanoTime() - start).as("the first wait times out after 30 ms")
                    .isGreaterThanOrEqualTo(30_000_000L).isLessThan(TestRings.WAIT_NANOS);
            // Waits that end early on a real CQE, with longer and then shorter timeouts: each must still hand over
            // only the real CQE, and a quiet wait after them must last its full time and no more than a bit longer.
            long[] timeouts = {5_000_000_000L, 2_000_000_000L, 3_000_000_000L, 1_000_000_000L};
            for (int i = 0; i < timeouts.length; i++) {
                ring.sq().nop(i);
                assertThat(ring.submitAndWait(1, timeouts[i])).isGreaterThanOrEqualTo(0);
                List<Completion> got = reapNow(ring);
                while (got.isEmpty()) {
                    // The removed timeout's CQE ended the wait before the NOP's: wait again.
                    assertThat(ring.submitAndWait(1, timeouts[i])).isGreaterThanOrEqualTo(0);
                    got = reapNow(ring);
                }
                assertThat(got).as("wait %d", i).extracting(Completion::userData).containsOnly((long) i);
            }
            long quiet = 60_000_000L;
            long deadline = System.nanoTime() + quiet;
            while (System.nanoTime() - deadline < 0) {
                assertThat(ring.submitAndWait(1, deadline - System.nanoTime())).isGreaterThanOrEqualTo(0);
                assertThat(reapNow(ring)).as("a quiet wait hands nothing over").isEmpty();
            }
            assertThat(System.nanoTime() - deadline).as("the quiet wait ended near its deadline")
                    .isLessThan(TestRings.WAIT_NANOS / 5);
            // At most two internal timeouts can be armed (one replacing another); cancel them one at a time.
            int armed = 0;
            for (int i = 0; i < 3; i++) {
                ring.sq().asyncCancel(Ring.INTERNAL_TIMEOUT_USER_DATA, 0, 100 + i);
                Completion c = find(await(ring, 1, "cancel " + i + " of an internal timeout"), 100 + i);
                if (c.res() == 0) {
                    armed++;
                }
            }
            assertThat(armed).as("internal timeouts still armed").isLessThanOrEqualTo(2);
        }
    }
}
