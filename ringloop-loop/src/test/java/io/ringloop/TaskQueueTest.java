package io.ringloop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task queue whose producer index is the wake word: order, chunks, the bound, and a producer that fails. */
class TaskQueueTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void shouldTakeEveryTaskOnceInEachProducersOrderAcrossManyChunks() throws Exception {
        WakeWord word = new WakeWord();
        TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);
        int producers = 4;
        int perProducer = 20 * TaskSlots.CHUNK + 7;
        int[] next = new int[producers];
        AtomicInteger outOfOrder = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int me = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    queue.tryOffer(() -> {
                        if (next[me] != seq) {
                            outOfOrder.incrementAndGet();
                        }
                        next[me] = seq + 1;
                    });
                }
            }));
        }
        long total = (long) producers * perProducer;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (queue.consumed() < total) {
            Runnable t = queue.poll(WakeWord.sequence(word.get()));
            if (t != null) {
                t.run();
            } else {
                queue.afterPolls();
                assertThat(System.nanoTime()).as("took %d of %d tasks in %s", queue.consumed(), total, LIMIT)
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        for (Thread t : threads) {
            t.join(LIMIT.toMillis());
        }
        assertThat(queue.poll(WakeWord.sequence(word.get()))).as("nothing beyond what was offered").isNull();
        assertThat(outOfOrder.get()).as("tasks run out of their producer's order").isZero();
        assertThat(next).as("every producer's last task ran").containsOnly(perProducer);
        assertThat(WakeWord.sequence(word.get())).as("one claim per task").isEqualTo(total);
    }

    @Test
    void shouldPassOverTheSlotOfAProducerThatFailedBetweenClaimAndStore() {
        WakeWord word = new WakeWord();
        TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);
        queue.tryOffer(() -> { });
        // A producer that claimed and failed before storing leaves SKIPPED behind (TaskQueue.store's catch).
        queue.tryOffer(TaskQueue.SKIPPED);
        AtomicInteger ran = new AtomicInteger();
        queue.tryOffer(ran::incrementAndGet);
        Runnable t;
        int n = 0;
        while ((t = queue.poll(WakeWord.sequence(word.get()))) != null) {
            t.run();
            n++;
        }
        assertThat(n).as("tasks returned: the skipped slot is not one").isEqualTo(2);
        assertThat(ran.get()).isOne();
        assertThat(queue.consumed()).as("slots taken, the skipped one included").isEqualTo(3);
    }

    @Test
    void shouldNotLeaveTheLoopWaitingForTheSlotOfAProducerWhoseStoreFailed() throws Exception {
        WakeWord word = new WakeWord();
        AtomicInteger failures = new AtomicInteger(1);
        TaskSlots failOnce = new TaskSlots() {
            @Override
            void store(long index, Runnable task) {
                if (task != TaskQueue.SKIPPED && failures.getAndDecrement() > 0) {
                    throw new StackOverflowError("injected between the claim and the store");
                }
                super.store(index, task);
            }
        };
        TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK, failOnce);
        assertThatThrownBy(() -> queue.tryOffer(() -> { })).isInstanceOf(StackOverflowError.class);
        AtomicInteger ran = new AtomicInteger();
        queue.tryOffer(ran::incrementAndGet);
        AtomicReference<Runnable> polled = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().start(() -> polled.set(queue.poll(WakeWord.sequence(word.get()))));
        loop.join(LIMIT.toMillis());
        assertThat(loop.isAlive()).as("the loop still waits for the failed producer's slot after %s", LIMIT)
                .isFalse();
        polled.get().run();
        assertThat(ran.get()).as("the task offered after the failed one").isOne();
        assertThat(queue.consumed()).as("slots taken: the failed one and the next").isEqualTo(2);
    }

    @Test
    void shouldNeverPassAClaimedSlotWhoseStoreIsPending() throws Exception {
        WakeWord word = new WakeWord();
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskSlots slowFirst = new TaskSlots() {
            @Override
            void store(long index, Runnable task) {
                if (index == 0) {
                    storing.countDown();
                    try {
                        release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.store(index, task);
            }
        };
        TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK, slowFirst);
        Runnable first = () -> { };
        Runnable second = () -> { };
        Thread producer = Thread.ofPlatform().start(() -> queue.tryOffer(first));
        assertThat(storing.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        queue.tryOffer(second);
        assertThat(queue.poll()).as("the loop's poll while slot 0 is claimed and not stored").isNull();
        assertThat(queue.consumed()).as("slots taken while slot 0 is pending").isZero();
        // The waiting form (the dying loop's last drain) must wait for slot 0, not step over it to slot 1.
        AtomicReference<Runnable> got = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().start(() -> got.set(queue.poll(WakeWord.sequence(word.get()))));
        loop.join(200);
        assertThat(got.get()).as("a task returned while slot 0 was still pending").isNull();
        release.countDown();
        producer.join(LIMIT.toMillis());
        loop.join(LIMIT.toMillis());
        assertThat(got.get()).as("the first task taken once its store landed").isSameAs(first);
        assertThat(queue.poll()).isSameAs(second);
    }

    @Test
    void shouldKeepTheBoundExactUnderRacingProducers() throws Exception {
        WakeWord word = new WakeWord();
        int capacity = 64;
        TaskQueue queue = new TaskQueue(word, capacity, QueueFullPolicy.REJECT);
        int producers = 4;
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < capacity; i++) {
                        if (queue.tryOffer(() -> { }) != TaskQueue.FULL) {
                            accepted.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(LIMIT.toMillis());
        }
        assertThat(accepted.get()).as("offers accepted by a queue of %d nobody drained", capacity)
                .isEqualTo(capacity);
        assertThatThrownBy(() -> queue.offer(() -> { }, () -> false)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("full (64 tasks)");
        assertThat(queue.offerEvenIfFull(() -> { })).as("a task that must not be refused").isNotEqualTo(TaskQueue.FULL);
        assertThat(queue.poll(WakeWord.sequence(word.get()))).isNotNull();
        assertThat(queue.tryOffer(() -> { })).as("the task offered past the bound still counts")
                .isEqualTo(TaskQueue.FULL);
        assertThat(queue.poll(WakeWord.sequence(word.get()))).isNotNull();
        assertThat(queue.tryOffer(() -> { })).as("room as soon as the loop took a task").isNotEqualTo(TaskQueue.FULL);
    }
}
