package io.ringloop.soak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos of the test command, {@code ringloop.chaos.seconds} long (20 by default), in this JVM and once more in a
 * JVM of its own under ZGC ({@code ./ringloop soak} runs longer ones).
 */
class ChaosTest {
    private static final long SECONDS = Long.getLong("ringloop.chaos.seconds", 20);

    @Test
    void chaosHoldsItsInvariants() throws Exception {
        Chaos.Result r = Chaos.run(Duration.ofSeconds(SECONDS));
        System.out.println(r);
        assertThat(r.failures()).as(r.toString()).isEmpty();
        assertThat(r.epochs()).as("epochs").isGreaterThan(2);
        assertThat(r.framesChecked()).as("messages checked").isPositive();
        assertThat(r.blocksChecked()).as("file blocks checked").isPositive();
    }

    @Test
    void chaosUnderZgc() throws Exception {
        Path out = Files.createTempFile("ringloop-chaos-zgc", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:+UseZGC", "-Xmx256m", "--enable-native-access=ALL-UNNAMED"));
            String seed = System.getProperty("ringloop.chaos.seed");
            if (seed != null) {
                cmd.add("-Dringloop.chaos.seed=" + seed);
            }
            for (String property : List.of("ringloop.kernel.mask", "ringloop.kernel.profile", "ringloop.backend")) {
                // The backend and the kernel this run is under (the epoll run sets the IO_URING mask): the child's too.
                String value = System.getProperty(property);
                if (value != null) {
                    cmd.add("-D" + property + "=" + value);
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Chaos.class.getName(), "--seconds",
                    String.valueOf(SECONDS)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(SECONDS + 60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println("the chaos under ZGC:\n" + log);
            assertThat(done).as("the ZGC chaos run ended in time:%n%s", log).isTrue();
            assertThat(p.exitValue()).as("the ZGC chaos run:%n%s", log).isZero();
            assertThat(log).contains("OK");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
