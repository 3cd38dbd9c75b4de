package io.ringloop.bench.measure;

import io.ringloop.binding.Syscalls;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadStateTest {
    @Test
    void theCallingThreadIsRunning() {
        try (ThreadState self = new ThreadState(Syscalls.gettid())) {
            assertThat(self.state()).isEqualTo('R');
        }
    }

    @Test
    void cpuTimeGrowsWhileTheThreadSpins() {
        try (ThreadState self = new ThreadState(Syscalls.gettid())) {
            long before = self.cpuNanos();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            assertThat(self.cpuNanos()).isGreaterThan(before);
        }
    }

    @Test
    void aThreadBlockedOnALatchIsSeenSleeping() throws InterruptedException {
        AtomicInteger tid = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            tid.set(Syscalls.gettid());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (tid.get() == 0) {
            Thread.onSpinWait();
        }
        try (ThreadState state = new ThreadState(tid.get())) {
            assertThat(state.awaitSleeping(TimeUnit.SECONDS.toNanos(5))).isTrue();
        } finally {
            release.countDown();
            t.join();
        }
    }
}
