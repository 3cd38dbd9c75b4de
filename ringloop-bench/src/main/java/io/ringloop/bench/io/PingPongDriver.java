package io.ringloop.bench.io;

import io.ringloop.bench.measure.Tally;

import java.io.IOException;

/** A client that keeps many echo connections ping-ponging: the JDK Selector one, or the C one. */
public interface PingPongDriver extends AutoCloseable {
    /**
     * Ping-pong on every connection for a while; each echo's round trip goes into the tally.
     *
     * @param nanos how long new messages are sent; the run ends when the last echo is back
     * @param tally where round trips go
     * @return the echoes received
     * @throws IOException if a connection fails, an echo differs, or no echo comes for 10 s
     */
    long run(long nanos, Tally tally) throws IOException;

    /**
     * What drives the load, for the report.
     *
     * @return e.g. "one C thread (epoll)"
     */
    String describe();

    @Override
    void close() throws IOException;
}
