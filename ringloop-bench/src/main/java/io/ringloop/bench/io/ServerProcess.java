package io.ringloop.bench.io;

import io.ringloop.bench.measure.Pinning;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a JVM of its own (so that the load generator, the client and the harness never share its heap, its GC
 * or its JIT), started with this JVM's classpath. It is ready when it prints {@code 127.0.0.1:PORT}; its output is
 * drained all along and its last lines kept for error messages.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    private static final int KEPT_LINES = 30;
    private static final String STATS_PREFIX = "ringloop-stats ";

    private final String name;
    private final Process process;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final BlockingQueue<String> statsLines = new LinkedBlockingQueue<>();

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name("drain-" + name).start(this::drain);
    }

    /**
     * Starts {@code java -cp <this JVM's classpath> mainClass args...} with the flags native code needs.
     *
     * @param name for messages
     * @param mainClass the server's main class
     * @param args its arguments
     * @return the started (not necessarily listening) process
     * @throws IOException if java cannot be started
     */
    public static ServerProcess start(String name, String mainClass, List<String> args) throws IOException {
        return new ServerProcess(name, new ProcessBuilder(command(mainClass, args)).redirectErrorStream(true).start());
    }

    /**
     * The command line {@link #start} runs.
     *
     * @param mainClass the main class
     * @param args its arguments
     * @return java, its flags, the classpath, the class and the arguments
     */
    public static List<String> command(String mainClass, List<String> args) {
        List<String> cmd = pinned();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            // Netty and JCTools still use sun.misc.Unsafe: without this, JDK 23+ warn on every start
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        String more = System.getenv("RINGLOOP_SERVER_JAVA_OPTS");
        if (more != null && !more.isBlank()) {
            // e.g. a JFR recording of every server: -XX:StartFlightRecording=filename=/tmp/server-%p.jfr
            cmd.addAll(List.of(more.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts a server that is not a JVM (the C ceiling server), pinned as {@link #command} pins a JVM.
     *
     * @param name for messages
     * @param program the program and its arguments
     * @return the started (not necessarily listening) process
     * @throws IOException if it cannot be started
     */
    public static ServerProcess startProgram(String name, List<String> program) throws IOException {
        List<String> cmd = pinned();
        cmd.addAll(program);
        return new ServerProcess(name, new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** With {@code --pin}, the start of a command that puts the server where the loops go; else nothing. */
    private static List<String> pinned() {
        List<String> cmd = new ArrayList<>();
        int cpu = Pinning.loopCpu();
        if (cpu >= 0) {
            // clients and load generators inherit the producer CPU
            cmd.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
        }
        return cmd;
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (tail) {
                    if (tail.size() == KEPT_LINES) {
                        tail.poll();
                    }
                    tail.add(line);
                }
                if (line.startsWith(STATS_PREFIX)) {
                    statsLines.add(line);
                }
                Matcher m = PORT.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // the process went away: whoever waits for the port hears it below
        }
        port.completeExceptionally(new IllegalStateException(name + " ended without printing its port; "
                + "exit " + exitDescription() + ", output: " + output()));
    }

    private String exitDescription() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Waits until the server says where it listens.
     *
     * @param timeout how long at most
     * @return the port
     * @throws IllegalStateException with the process's output if it ended or stayed silent
     * @throws InterruptedException if interrupted
     */
    public int awaitPort(Duration timeout) throws InterruptedException {
        try {
            return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " printed no port within " + timeout.toMillis() + " ms; output: "
                    + output());
        }
    }

    /**
     * Asks a ringloop example server for its loops' counters: writes {@code stats} to its standard input and waits
     * for its {@code ringloop-stats name=value ...} line. Servers that do not answer (Netty's) give nothing.
     *
     * @param timeout how long to wait for the answer
     * @return every counter by name, summed over the server's loops, or empty
     * @throws InterruptedException if interrupted
     */
    public Optional<Map<String, Long>> stats(Duration timeout) throws InterruptedException {
        statsLines.clear();
        try {
            OutputStream in = process.getOutputStream();
            in.write("stats\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            return Optional.empty();
        }
        String line = statsLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            return Optional.empty();
        }
        Map<String, Long> stats = new LinkedHashMap<>();
        for (String pair : line.substring(STATS_PREFIX.length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return Optional.of(stats);
    }

    /**
     * The CPU time the server's process has used so far, all its threads together (the loops, the JIT, the GC),
     * user and system: {@code /proc/PID/stat}, so in clock ticks (10 ms on most kernels).
     *
     * @return nanoseconds, or -1 if the system does not say
     */
    public long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Whether the process still runs.
     *
     * @return true while alive
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The process's last lines of output (stdout and stderr), joined.
     *
     * @return up to 30 lines, " / "-separated
     */
    public String output() {
        synchronized (tail) {
            return tail.isEmpty() ? "(none)" : String.join(" / ", tail);
        }
    }

    /** Asks the server to stop (SIGTERM: its shutdown hook closes it), then kills it if it is still there. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
