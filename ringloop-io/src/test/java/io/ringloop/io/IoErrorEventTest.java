package io.ringloop.io;

import io.ringloop.EventLoop;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A recording shows each failed operation as a {@code ringloop.IoError} with its operation, target and errno. */
class IoErrorEventTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecordAFailedOpenWithItsPathAndErrno() throws Exception {
        Path missing = dir.resolve("no-such-file-" + System.nanoTime());
        Queue<RecordedEvent> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch delivered = new CountDownLatch(1);
        try (RecordingStream stream = new RecordingStream(); EventLoop loop = EventLoop.open()) {
            stream.enable("ringloop.IoError");
            stream.onEvent("ringloop.IoError", e -> {
                if (missing.toString().equals(e.getString("target"))) {
                    seen.add(e);
                    delivered.countDown();
                }
            });
            stream.startAsync();
            assertThatThrownBy(() -> AsyncFile.open(loop, missing)).isInstanceOf(RingIoException.class);
            // The stream delivers in flushes about a second apart.
            assertThat(delivered.await(20, TimeUnit.SECONDS)).as("an IoError event for the failed open of %s", missing)
                    .isTrue();
        }
        assertThat(seen).as("one event per failure").hasSize(1);
        RecordedEvent e = seen.peek();
        assertThat(e.getString("operation")).isEqualTo("open");
        assertThat(e.getInt("errno")).isEqualTo(2);
        assertThat(e.getString("errnoName")).isEqualTo("ENOENT");
    }
}
