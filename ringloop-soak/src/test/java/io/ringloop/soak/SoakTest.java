package io.ringloop.soak;

import io.ringloop.binding.FeatureMask;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The 30-second soak of the test command ({@code ./ringloop soak --minutes N} runs longer ones). */
class SoakTest {
    @Test
    void thirtySecondSoakAcrossEveryDoorbell() throws Exception {
        long seconds = Long.getLong("ringloop.soak.seconds", 30);
        Soak.Result r = Soak.run(Duration.ofSeconds(seconds));
        System.out.println(r);
        assertThat(r.failures()).as(r.toString()).isEmpty();
        assertThat(r.cycles()).as("cycles in %d s", seconds).isPositive();
        assertThat(r.tasks()).isPositive();
        assertThat(r.ioBytes()).isPositive();
        if (!FeatureMask.fromSystemProperty().hidesIoUring()) {
            // The epoll backend's run has no MSG_RING: its loops wake each other through their doorbells.
            assertThat(r.msgRingWakes()).as("tasks from another loop woke parked loops by MSG_RING").isPositive();
        }
    }
}
