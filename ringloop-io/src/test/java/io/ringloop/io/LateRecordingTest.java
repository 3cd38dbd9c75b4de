package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process that never records pays nothing for ringloop's JFR events, and one that starts recording later still gets
 * them. In a fresh JVM (the test's own has had recordings): a loop opens, runs tasks, sleeps, and an open fails, and
 * until a recording starts the recorder's metadata must not have been set up (the class
 * {@code jdk.jfr.internal.MetadataRepository} is not even loaded; setting it up cost the first {@code open()} about
 * 280 ms and the loop's first sleep 160 ms). Then a recording starts while the loop runs, and its parks, its
 * statistics and the next failure must reach it. Here rather than in the loop's module: one child covers the loop's
 * events and the I/O layer's.
 */
class LateRecordingTest {
    private static final String LOOP = "late-recording";
    private static final String MARK = "MARK recording starts";
    private static final String METADATA = "jdk.jfr.internal.MetadataRepository";
    private static final List<String> TYPES = List.of("ringloop.Park", "ringloop.LoopStatistics", "ringloop.IoError");
    private static final long WAIT_SECONDS = 60;

    @Test
    void shouldSetUpNoRecorderBeforeARecordingAndRecordOnceOneStarts() throws Exception {
        Path out = Files.createTempFile("late-recording", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info:stdout",
                    "-cp", System.getProperty("java.class.path")));
            // The kernel and backend the suite runs under (the epoll run masks io_uring) apply to the child too.
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ringloop."))
                    .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.add(Child.class.getName());
            command.add(Files.createTempDirectory("late-recording").resolve("missing").toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            assertThat(ended).as("the child ended within %d s; its output ends:%n%s", WAIT_SECONDS, tail).isTrue();
            assertThat(p.exitValue()).as("the child's exit status; its output ends:%n%s", tail).isZero();
            int mark = lines.indexOf(MARK);
            assertThat(mark).as("the child reached the recording; its output ends:%n%s", tail).isNotNegative();
            assertThat(lines.subList(0, mark)).as("classes loaded before any recording")
                    .anyMatch(l -> l.contains(RingIoException.class.getName() + " "))
                    .noneMatch(l -> l.contains(METADATA + " "));
            assertThat(lines.subList(mark, lines.size())).as("classes loaded once the recording started (the marker "
                    + "is right: the recorder's metadata is set up then)").anyMatch(l -> l.contains(METADATA + " "));
            for (String type : TYPES) {
                assertThat(lines).as("the child's report").contains("SEEN " + type);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The fresh JVM: a loop that sleeps and an open that fails, unrecorded, then recorded. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Path missing = Path.of(args[0]);
            try (EventLoop loop = EventLoop.open(LoopOptions.builder().threadName(LOOP).build())) {
                sleepOnce(loop);
                sleepOnce(loop);
                failToOpen(loop, missing);
                System.out.flush();
                System.out.println(MARK);
                System.out.flush();
                Set<String> seen = ConcurrentHashMap.newKeySet();
                try (RecordingStream stream = new RecordingStream()) {
                    for (String type : TYPES) {
                        stream.enable(type).withPeriod(Duration.ofMillis(50));
                        stream.onEvent(type, e -> {
                            String where = e.getString(type.equals("ringloop.IoError") ? "target" : "loop");
                            if (LOOP.equals(where) || missing.toString().equals(where)) {
                                seen.add(type);
                            }
                        });
                    }
                    stream.startAsync();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS / 2);
                    while (seen.size() < TYPES.size() && System.nanoTime() < deadline) {
                        sleepOnce(loop);
                        failToOpen(loop, missing);
                    }
                }
                seen.stream().sorted().forEach(t -> System.out.println("SEEN " + t));
            }
            System.out.flush();
        }

        /** Runs a task and waits until the loop has gone to sleep again after it. */
        private static void sleepOnce(EventLoop loop) throws InterruptedException, IOException {
            long parks = loop.stats().parks();
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            if (!ran.await(10, TimeUnit.SECONDS)) {
                throw new IOException("a task did not run within 10 s");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (loop.stats().parks() <= parks) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the loop did not sleep within 10 s");
                }
                Thread.onSpinWait();
            }
        }

        private static void failToOpen(EventLoop loop, Path missing) {
            try {
                AsyncFile.open(loop, missing).close();
                throw new IllegalStateException("opened " + missing + ", which should not exist");
            } catch (RingIoException expected) {
                // the failure the IoError event is about
            }
        }
    }
}
