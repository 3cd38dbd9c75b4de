package io.ringloop;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.ringloop.LoopTestSupport.await;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A recording of a loop that parks, wakes, overflows its CQ and re-arms its doorbell shows each as a JFR event. */
class LoopEventsTest {
    private static final String LOOP = "jfr-test-loop";
    private static final List<String> TYPES = List.of("ringloop.Park", "ringloop.DoorbellRearm", "ringloop.CqOverflow",
            "ringloop.Wakeup", "ringloop.LoopStatistics");

    @Test
    void shouldRecordParksWakeupsRearmsOverflowsAndStatistics() throws Exception {
        Queue<RecordedEvent> seen = new ConcurrentLinkedQueue<>();
        try (RecordingStream stream = new RecordingStream()) {
            for (String type : TYPES) {
                stream.enable(type).withPeriod(Duration.ofMillis(50));
                stream.onEvent(type, e -> {
                    if (LOOP.equals(e.getString("loop"))) {
                        seen.add(e);
                    }
                });
            }
            stream.setMaxAge(Duration.ofSeconds(30));
            stream.startAsync();
            try (EventLoop loop = EventLoop.open(quiet(Doorbell.EVENTFD_POLL_MULTISHOT).threadName(LOOP)
                    .ringEntries(4).cqEntries(4).spinNanos(0).build())) {
                WakeWord word = wordOf(loop);
                for (int i = 0; i < 5; i++) {
                    awaitArmed(loop, word, Duration.ofSeconds(10));
                    CountDownLatch ran = new CountDownLatch(1);
                    loop.execute(ran::countDown);
                    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
                }
                assertThat(loop.submit(() -> DoorbellRearmTest.overflowWhileDoorbellFires(loop))
                        .get(10, TimeUnit.SECONDS)).as("the CQ overflowed while the doorbell fired").isTrue();
                awaitArmed(loop, word, Duration.ofSeconds(10));
                // The stream delivers in flushes about a second apart; the periodic events need the loop open.
                await("every kind of ringloop event to reach the stream", Duration.ofSeconds(20),
                        () -> TYPES.stream().allMatch(t -> !ofType(seen, t).isEmpty())
                                && ofType(seen, "ringloop.Wakeup").stream().anyMatch(e -> e.getLong("rung") > 0));
            }
        }
        List<RecordedEvent> parks = ofType(seen, "ringloop.Park");
        assertThat(parks).as("parks").hasSizeGreaterThanOrEqualTo(5).allSatisfy(e -> {
            assertThat(e.getString("endedBy")).isIn("wake", "timeout");
            assertThat(e.getString("boundedBy")).isIn("timer", "maxPark", "shortened");
            assertThat(e.getDuration().isNegative()).isFalse();
        });
        assertThat(parks).anySatisfy(e -> assertThat(e.getString("endedBy")).isEqualTo("wake"));
        assertThat(ofType(seen, "ringloop.DoorbellRearm"))
                .allSatisfy(e -> assertThat(e.getString("doorbell")).isEqualTo("EVENTFD_POLL_MULTISHOT"));
        RecordedEvent stats = ofType(seen, "ringloop.LoopStatistics").getLast();
        for (LoopCounter c : LoopCounter.values()) {
            assertThat(stats.hasField(c.statName())).as("field %s", c.statName()).isTrue();
        }
        assertThat(stats.getLong("parks")).isPositive();
        assertThat(stats.getLong("tasksRun")).isGreaterThanOrEqualTo(5);
        assertThat(stats.getString("doorbell")).isEqualTo("EVENTFD_POLL_MULTISHOT");
    }

    private static List<RecordedEvent> ofType(Queue<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }
}
