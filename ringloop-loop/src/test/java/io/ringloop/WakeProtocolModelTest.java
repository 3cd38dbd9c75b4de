package io.ringloop;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the Spin model of the wake protocol ({@code model/wake.pml}, through {@code model/check.sh}): the protocol
 * must hold every property, and every mutant of it must be caught. Needs spin and gcc on the PATH; without them
 * the test fails (it never skips), because a silently skipped proof proves nothing.
 */
class WakeProtocolModelTest {
    /** check.sh's CI set takes about 3 minutes on one core; the bound only stops a hung run. */
    private static final long TIMEOUT_MINUTES = 10;

    private static final List<String> MUTANTS = List.of(
            "NO_RECHECK", "WANT_BEFORE_CLAIM", "NO_REARM", "SKIP_REARM_SQ_FULL", "NO_RINGER_GUARD", "NO_RUNG",
            "ARM_KEEPS_RUNG", "CAUGHTUP_AT_SEQ", "CAUGHTUP_AFTER_DRAIN", "SKIP_EMPTY_SLOT", "TERMINATE_NO_CHECK",
            "CLOSE_NO_WAKE", "EDGE_ONLY_POLL", "TERMINATE_SPLIT", "WHERE_AFTER_ARM", "NO_FUTEX_CHECK");

    @Test
    void shouldProveWakeProtocolAndCatchEveryMutant() throws IOException, InterruptedException {
        requireOnPath("spin", "spin is not installed: apt-get install spin (the wake protocol's model check needs it)");
        requireOnPath("gcc", "gcc is not installed: apt-get install gcc (Spin compiles its verifier with it)");
        Path script = findCheckScript();

        Path log = Files.createTempFile("ringloop-check", ".log");
        try {
            Process process = new ProcessBuilder("bash", script.toString())
                    .directory(script.getParent().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("model/check.sh did not finish in " + TIMEOUT_MINUTES + " min; output so far:%n%s",
                        Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("model/check.sh exit status; output:%n%s", output).isZero();

            List<String> lines = output.lines().toList();
            List<String> expected = new ArrayList<>(List.of(
                    "ok   correct safety: no violation",
                    "ok   correct no-cycles: no violation",
                    "ok   correct ltl-stranded: no violation",
                    "ok   correct ltl-closes: no violation",
                    "ok   finding STRICT_WRITES: caught"));
            MUTANTS.forEach(m -> expected.add("ok   mutant " + m + ": caught"));
            for (String prefix : expected) {
                assertThat(lines).as("a line starting with \"%s\" in:%n%s", prefix, output)
                        .anyMatch(line -> line.startsWith(prefix));
            }
            assertThat(lines).as("no failed case in:%n%s", output).noneMatch(line -> line.startsWith("FAIL"));
            assertThat(lines).contains("check.sh: all " + (expected.size()) + " cases as expected");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void requireOnPath(String command, String message) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        fail(message);
    }

    /** The repository root is the first directory, from user.dir upwards, that holds model/check.sh. */
    private static Path findCheckScript() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("model").resolve("check.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        return fail("no model/check.sh in %s or any directory above it", start);
    }
}
