package io.ringloop;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FdLeakTest {
    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void shouldLeakNoFdOver1000OpenCloseCycles() throws Exception {
        for (Doorbell d : new Doorbell[] {Doorbell.EVENTFD_POLL_MULTISHOT, Doorbell.EVENTFD_READ, Doorbell.FUTEX_WAIT,
                Doorbell.SEND_MSG_RING}) {
            try (EventLoop warm = EventLoop.open(LoopOptions.builder().doorbell(d).build())) {
                warm.submit(() -> 1).join();
            }
        }
        long before = openFds();
        Doorbell[] doorbells = {Doorbell.EVENTFD_POLL_MULTISHOT, Doorbell.EVENTFD_READ, Doorbell.FUTEX_WAIT,
            Doorbell.SEND_MSG_RING};
        for (int i = 0; i < 1000; i++) {
            LoopOptions options = LoopOptions.builder().doorbell(doorbells[i % doorbells.length]).build();
            try (EventLoop loop = EventLoop.open(options)) {
                if (i % 10 == 0) {
                    loop.submit(() -> 1).join();
                }
            }
        }
        assertThat(openFds()).as("fds after 1000 loop open/close cycles").isEqualTo(before);
    }
}
