package io.ringloop.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OwnBufferSizeTest {
    @Test
    void shouldStartAtAPowerOfTwoTheCopyPoolHolds() {
        assertThat(Integer.bitCount(OwnBufferSize.MIN)).as("MIN %d", OwnBufferSize.MIN).isEqualTo(1);
        assertThat(OwnBufferSize.MIN).isGreaterThanOrEqualTo(LoopResources.RECV_BUFFER_SIZE);
        assertThat(CopyBuffers.MAX_SIZE).isEqualTo(OwnBufferSize.MAX);
        assertThat(new OwnBufferSize().size()).isEqualTo(OwnBufferSize.MIN);
    }

    @Test
    void shouldDoubleOnlyAfterAReceiveThatFilledTheBufferUpToTheCap() {
        OwnBufferSize s = new OwnBufferSize();
        assertThat(s.received(OwnBufferSize.MIN - 1)).as("not full: no growth").isEqualTo(OwnBufferSize.MIN);
        long size = OwnBufferSize.MIN;
        while (size < OwnBufferSize.MAX) {
            assertThat(s.received((int) size)).isEqualTo(size * 2);
            size *= 2;
        }
        assertThat(s.received(OwnBufferSize.MAX)).as("capped").isEqualTo(OwnBufferSize.MAX);
        assertThat(OwnBufferSize.MAX).isEqualTo(256 << 10);
    }

    @Test
    void shouldHalveAfterTwoSmallReceivesInARowButNotBelowTheStart() {
        OwnBufferSize s = grown();
        int quarter = OwnBufferSize.MAX / 4;
        assertThat(s.received(quarter)).as("one small receive").isEqualTo(OwnBufferSize.MAX);
        assertThat(s.received(quarter + 1)).as("a larger one resets the count").isEqualTo(OwnBufferSize.MAX);
        assertThat(s.received(1)).isEqualTo(OwnBufferSize.MAX);
        assertThat(s.received(1)).as("the second small receive in a row").isEqualTo(OwnBufferSize.MAX / 2);
        for (int i = 0; i < 64; i++) {
            s.received(1);
        }
        assertThat(s.size()).as("never below the start").isEqualTo(OwnBufferSize.MIN);
    }

    private static OwnBufferSize grown() {
        OwnBufferSize s = new OwnBufferSize();
        while (s.size() < OwnBufferSize.MAX) {
            s.received((int) s.size());
        }
        return s;
    }
}
