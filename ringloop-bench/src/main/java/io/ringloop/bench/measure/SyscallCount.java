package io.ringloop.bench.measure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts one thread's system calls with {@code strace -c -p <tid>}, the only honest count for loops that do not count
 * their own wakes.
 *
 * <p>Attached to a tid without {@code -f}, strace traces that thread alone. Tracing makes every syscall of that thread
 * slow, which is why the counting phase is separate from the timed one.
 */
public final class SyscallCount implements AutoCloseable {
    private static final String STRACE = "/usr/bin/strace";

    private final Process strace;
    private final Path output;

    private SyscallCount(Process strace, Path output) {
        this.strace = strace;
        this.output = output;
    }

    /**
     * Whether strace is installed.
     *
     * @return true if it can be tried
     */
    public static boolean available() {
        return Files.isExecutable(Path.of(STRACE));
    }

    /**
     * Attaches to a thread and returns once strace reports it attached.
     *
     * @param tid the thread
     * @return the running counter
     * @throws IOException if strace cannot attach (reported with its message)
     */
    public static SyscallCount attach(int tid) throws IOException {
        Path output = Files.createTempFile("ringloop-strace", ".txt");
        Process p = new ProcessBuilder(STRACE, "-c", "-o", output.toString(), "-p", Integer.toString(tid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String line;
        while ((line = err.readLine()) != null) {
            said.append(line).append('\n');
            if (line.contains("attached")) {
                // keep draining strace's stderr so it never blocks on a full pipe
                Thread.ofPlatform().daemon().start(() -> drain(err));
                return new SyscallCount(p, output);
            }
        }
        p.destroyForcibly();
        Files.deleteIfExists(output);
        throw new IOException("strace did not attach: " + said.toString().strip());
    }

    private static void drain(BufferedReader err) {
        try {
            while (err.readLine() != null) {
                // strace's "detached" line and nothing else: only read so strace never blocks
            }
        } catch (IOException ignored) {
            // the stream closes when strace exits
        }
    }

    /**
     * Detaches (strace prints its summary when it is sent SIGTERM) and reads the counts.
     *
     * @return calls per syscall name, without the total line
     */
    public Map<String, Long> finish() {
        strace.destroy();
        try {
            if (!strace.waitFor(10, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
                throw new IllegalStateException("strace did not exit");
            }
            return parse(Files.readAllLines(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for strace", e);
        }
    }

    // "% time     seconds  usecs/call     calls    errors syscall": calls is the fourth column, the name the last
    static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].matches("[0-9.]+")) {
                continue;
            }
            String name = f[f.length - 1];
            if (!name.equals("total")) {
                calls.merge(name, Long.parseLong(f[3]), Long::sum);
            }
        }
        return calls;
    }

    @Override
    public void close() {
        strace.destroyForcibly();
        try {
            Files.deleteIfExists(output);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
