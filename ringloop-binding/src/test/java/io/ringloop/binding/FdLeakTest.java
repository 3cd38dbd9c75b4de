package io.ringloop.binding;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening and closing rings gives back every fd and every mapping. */
class FdLeakTest {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path MAPS = Path.of("/proc/self/maps");

    private static List<String> openFds() throws IOException {
        try (Stream<Path> s = Files.list(FDS)) {
            return s.map(p -> {
                try {
                    return p.getFileName() + " -> " + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return p.getFileName() + " (gone)";
                }
            }).sorted().toList();
        }
    }

    private static long ringMappings() throws IOException {
        return Files.readAllLines(MAPS).stream().filter(l -> l.contains("io_uring")).count();
    }

    @Test
    void shouldGiveBackEveryFdAndMappingAfterAThousandOpenCloseCycles() throws IOException {
        // Warm up: load the classes and let the JVM open what it opens lazily before the count.
        for (int i = 0; i < 3; i++) {
            TestRings.open(8).close();
        }
        List<String> before = openFds();
        long mappingsBefore = ringMappings();
        for (int i = 0; i < 1000; i++) {
            Ring ring = TestRings.open(8);
            ring.close();
        }
        List<String> after = openFds();
        assertThat(after.size()).as("fds before %s%nand after %s", before, after).isEqualTo(before.size());
        assertThat(ringMappings()).as("io_uring mappings in /proc/self/maps").isEqualTo(mappingsBefore);
    }

    @Test
    void shouldCloseTheRingFdOnClose() throws IOException {
        Ring ring = TestRings.open(8);
        int fd = ring.fd();
        assertThat(TestRings.fdTarget(fd)).contains("io_uring");
        ring.close();
        // Never close the number again: another thread may own it by now. Look at what it names instead.
        assertThat(TestRings.fdTarget(fd)).as("fd %d after close", fd).doesNotContain("io_uring");
    }
}
