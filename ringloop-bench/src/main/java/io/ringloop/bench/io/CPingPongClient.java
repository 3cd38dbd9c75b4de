package io.ringloop.bench.io;

import io.ringloop.bench.measure.Tally;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The ping-pong client in C ({@code pingpong_client.c}, compiled with gcc at run time): one thread, epoll, the same
 * protocol as {@link PingPongClient} (one message in flight per connection, each echo checked and timed). It costs
 * less per message than a JVM, so on two shared CPUs more of them go to the server under test. A child process that
 * keeps its connections across runs: each run is a line on its standard input.
 */
public final class CPingPongClient implements PingPongDriver {
    private static final String SOURCE = "pingpong_client.c";
    private static Path binary;

    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private CPingPongClient(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    }

    /**
     * Compiles the client once per JVM.
     *
     * @return the binary
     * @throws IOException with gcc's message if it cannot be built
     */
    public static synchronized Path compile() throws IOException {
        if (binary == null) {
            binary = Tools.compileC(CPingPongClient.class, SOURCE, "pingpong_client");
        }
        return binary;
    }

    /**
     * Starts the client and connects every connection.
     *
     * @param port the server's port on 127.0.0.1
     * @param count how many connections
     * @param messageBytes the message size, at least 8
     * @return the connected client
     * @throws IOException if it cannot be built, started or connected
     */
    public static CPingPongClient start(int port, int count, int messageBytes) throws IOException {
        Process p = new ProcessBuilder(compile().toString(), Integer.toString(port), Integer.toString(count),
                Integer.toString(messageBytes)).redirectErrorStream(true).start();
        CPingPongClient c = new CPingPongClient(p);
        String first = c.out.readLine();
        if (!"ready".equals(first)) {
            p.destroyForcibly();
            throw new IOException("the C client did not connect: " + first);
        }
        return c;
    }

    @Override
    public long run(long nanos, Tally tally) throws IOException {
        in.write("run " + nanos + "\n");
        in.flush();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("rtt ")) {
                tally.record(Long.parseLong(line, 4, line.length(), 10));
            } else if (line.startsWith("done ")) {
                return Long.parseLong(line.substring(5));
            } else {
                throw new IOException("the C client: " + line);
            }
        }
        throw new IOException("the C client ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
    }

    @Override
    public String describe() {
        return "one C thread (epoll, pingpong_client.c)";
    }

    @Override
    public void close() throws IOException {
        in.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
