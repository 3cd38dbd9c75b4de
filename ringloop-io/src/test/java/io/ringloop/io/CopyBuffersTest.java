package io.ringloop.io;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop's spare copy buffers: the smallest size class that holds a copy, reuse, and the bound on spares. */
class CopyBuffersTest {
    @Test
    void shouldGiveTheSmallestSizeClassThatHoldsACopyAndNoneBeyondTheLargest() {
        CopyBuffers pool = new CopyBuffers();
        assertThat(pool.take(1).byteSize()).isEqualTo(CopyBuffers.MIN_SIZE);
        assertThat(pool.take(512).byteSize()).isEqualTo(512);
        assertThat(pool.take(513).byteSize()).isEqualTo(1024);
        assertThat(pool.take(8192).byteSize()).isEqualTo(8192);
        assertThat(pool.take(CopyBuffers.MAX_SIZE).byteSize()).isEqualTo(CopyBuffers.MAX_SIZE);
        assertThat(pool.take(CopyBuffers.MAX_SIZE + 1L)).as("past the largest class the caller allocates").isNull();
        assertThat(pool.spare()).isZero();
    }

    @Test
    void shouldReuseAGivenBufferForTheNextCopyOfItsClass() {
        CopyBuffers pool = new CopyBuffers();
        MemorySegment first = pool.take(700);
        pool.give(first);
        assertThat(pool.spare(700)).isEqualTo(1);
        assertThat(pool.spare(512)).as("another class").isZero();
        MemorySegment again = pool.take(1000);
        assertThat(again.address()).as("the spare, not a fresh allocation").isEqualTo(first.address());
        assertThat(pool.spare()).isZero();
    }

    /**
     * A thousand connections echoing 512 bytes each between two reaps give back a thousand copies at once: all are
     * kept (a take after them allocates nothing), and past the bound the rest go to the garbage collector.
     */
    @Test
    void shouldKeepAThousandSmallSparesAndNoMoreThanTheBound() {
        CopyBuffers pool = new CopyBuffers();
        int bound = CopyBuffers.MAX_FREE_BYTES / CopyBuffers.MIN_SIZE;
        List<MemorySegment> taken = new ArrayList<>();
        for (int i = 0; i < bound + 10; i++) {
            taken.add(pool.take(CopyBuffers.MIN_SIZE));
        }
        for (MemorySegment s : taken.subList(0, 1000)) {
            pool.give(s);
        }
        assertThat(pool.spare(CopyBuffers.MIN_SIZE)).isEqualTo(1000);
        for (MemorySegment s : taken.subList(1000, taken.size())) {
            pool.give(s);
        }
        assertThat(pool.spare(CopyBuffers.MIN_SIZE)).isEqualTo(bound);
        assertThat(pool.spare(CopyBuffers.MAX_SIZE)).isZero();
    }
}
