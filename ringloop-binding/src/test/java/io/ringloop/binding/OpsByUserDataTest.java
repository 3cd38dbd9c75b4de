package io.ringloop.binding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The epoll backend's index of waiting requests agrees with a {@code HashMap} under random puts and removes. */
class OpsByUserDataTest {
    @Test
    void shouldAgreeWithAHashMapThroughGrowthCollisionsAndRemovals() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            OpsByUserData table = new OpsByUserData();
            Map<Long, EmulatedOp> reference = new HashMap<>();
            // Keys as the I/O layer makes them (a table index in the high bits, a tag in the low) and a few of
            // the loop's own constants, from a pool small enough that puts often hit a key that is present.
            List<Long> pool = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                pool.add(((long) i << 32) | (i % 7));
            }
            pool.add(-1L);
            pool.add(0L);
            pool.add(Long.MIN_VALUE);
            for (int step = 0; step < 20_000; step++) {
                long key = pool.get(random.nextInt(pool.size()));
                if (random.nextInt(3) == 0) {
                    table.remove(key);
                    reference.remove(key);
                } else {
                    EmulatedOp op = new EmulatedOp();
                    op.userData = key;
                    assertThat(table.put(key, op)).as("seed %d step %d: what put replaced", seed, step)
                            .isSameAs(reference.put(key, op));
                }
                long probe = pool.get(random.nextInt(pool.size()));
                assertThat(table.get(probe)).as("seed %d step %d: get(%x)", seed, step, probe)
                        .isSameAs(reference.get(probe));
                assertThat(table.size()).isEqualTo(reference.size());
            }
            for (long key : pool) {
                assertThat(table.get(key)).as("seed %d: get(%x) at the end", seed, key).isSameAs(reference.get(key));
            }
        }
    }

    @Test
    void shouldFindEveryKeyAfterRemovalsInsideAProbeRun() {
        OpsByUserData table = new OpsByUserData();
        Map<Long, EmulatedOp> reference = new HashMap<>();
        // Enough keys to grow the table several times, then every other one removed: the survivors sit in probe
        // runs that the removals cut, which the backward shift must close.
        for (long k = 0; k < 5000; k++) {
            EmulatedOp op = new EmulatedOp();
            table.put(k * 4096, op);
            reference.put(k * 4096, op);
        }
        for (long k = 0; k < 5000; k += 2) {
            table.remove(k * 4096);
            reference.remove(k * 4096);
        }
        table.remove(12345L);
        assertThat(table.size()).isEqualTo(2500);
        for (long k = 0; k < 5000; k++) {
            assertThat(table.get(k * 4096)).as("get(%d)", k * 4096).isSameAs(reference.get(k * 4096));
        }
    }
}
