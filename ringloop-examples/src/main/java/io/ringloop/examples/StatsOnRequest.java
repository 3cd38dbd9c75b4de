package io.ringloop.examples;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For a harness that runs an example server in a process of its own: each line {@code stats} on standard input is
 * answered with one line {@code ringloop-stats name=value ...}, every {@code LoopStats} counter summed over the
 * group's loops, so that the harness can take the difference across a measured run.
 */
final class StatsOnRequest {
    private StatsOnRequest() {
    }

    /** Starts answering, on a daemon thread that ends with standard input. */
    static void answer(LoopGroup group) {
        Thread.ofPlatform().daemon().name("stats-on-request").start(() -> answerEachRequest(group));
    }

    private static void answerEachRequest(LoopGroup group) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("stats")) {
                    System.out.println(line(group));
                }
            }
        } catch (IOException e) {
            // No standard input (or it closed): nobody asks.
        }
    }

    static String line(LoopGroup group) {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (EventLoop loop : group.loops()) {
            loop.stats().asMap().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        StringBuilder line = new StringBuilder("ringloop-stats");
        sum.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }
}
