package io.ringloop.binding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RingSmokeTest {
    @Test
    void shouldRoundTripNopWithStrongestFlags() {
        try (Ring ring = Ring.open(RingOptions.of(8))) {
            System.out.println(ring);
            assertThat(ring.has(SetupFlags.SINGLE_ISSUER)).isTrue();
            assertThat(ring.sq().nop(42)).isTrue();
            assertThat(ring.submitAndWait(1, 1_000_000_000L)).isEqualTo(1);
            long[] got = new long[3];
            int n = ring.cq().reap((ud, res, flags) -> {
                got[0] = ud;
                got[1] = res;
                got[2] = flags;
            }, 16);
            assertThat(n).isEqualTo(1);
            assertThat(got[0]).isEqualTo(42);
            assertThat(got[1]).isZero();
            System.out.println(ring.probe().supportedNames());
        }
    }
}
