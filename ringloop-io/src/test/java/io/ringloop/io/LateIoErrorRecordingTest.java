package io.ringloop.io;

import io.ringloop.EventLoop;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed operation costs a process that never records nothing of JFR, and one that starts recording later still
 * gets its {@code ringloop.IoError} events. In a fresh JVM (the test's own has had recordings): an open fails before
 * any recording, and the recorder's metadata must not have been set up for it (the class
 * {@code jdk.jfr.internal.MetadataRepository} is not even loaded); then a recording starts, and the next failure
 * reaches it.
 */
class LateIoErrorRecordingTest {
    private static final String MARK = "MARK recording starts";
    private static final String METADATA = "jdk.jfr.internal.MetadataRepository";
    private static final long WAIT_SECONDS = 60;

    @Test
    void shouldTouchNoRecorderForAFailureBeforeARecordingAndRecordOnceOneStarts() throws Exception {
        Path out = Files.createTempFile("late-io-error", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info:stdout",
                    "-cp", System.getProperty("java.class.path")));
            // The kernel and backend the suite runs under (the epoll run masks io_uring) apply to the child too.
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ringloop."))
                    .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.add(Child.class.getName());
            command.add(Files.createTempDirectory("late-io-error").resolve("missing").toString());
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
            assertThat(lines).as("the child's report").contains("SEEN ringloop.IoError");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The fresh JVM: a failed open unrecorded, then one recorded. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Path missing = Path.of(args[0]);
            try (EventLoop loop = EventLoop.open()) {
                failToOpen(loop, missing);
                System.out.flush();
                System.out.println(MARK);
                System.out.flush();
                CountDownLatch seen = new CountDownLatch(1);
                try (RecordingStream stream = new RecordingStream()) {
                    stream.enable("ringloop.IoError");
                    stream.onEvent("ringloop.IoError", e -> {
                        if (missing.toString().equals(e.getString("target"))) {
                            seen.countDown();
                        }
                    });
                    stream.startAsync();
                    failToOpen(loop, missing);
                    if (seen.await(WAIT_SECONDS / 2, TimeUnit.SECONDS)) {
                        System.out.println("SEEN ringloop.IoError");
                    }
                }
            }
            System.out.flush();
        }

        private static void failToOpen(EventLoop loop, Path missing) {
            try {
                AsyncFile.open(loop, missing).close();
                throw new IllegalStateException("opened " + missing + ", which should not exist");
            } catch (RingIoException expected) {
                // the failure this test is about
            }
        }
    }
}
