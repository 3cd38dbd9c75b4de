package io.ringloop.binding;

import java.util.ArrayDeque;

/**
 * One fd as the epoll backend sees it: registered once, edge-triggered, for input and output, and two
 * "may be ready" bits that stand in for the level the edges do not report.
 *
 * <pre>
 *   readable ──try gets EAGAIN──► not readable ──IN, RDHUP, HUP or ERR edge──► readable: retry the readers
 * </pre>
 *
 * A bit is set by every edge and cleared only by a try that got {@code EAGAIN}, so it can be wrong only in the safe
 * direction: a set bit costs one try that finds nothing. It can never be clear while data waits: an edge is reported
 * for every arrival after the last harvest, and the clearing try came after that harvest. Requests wait in call order
 * on their side; a poll request waits on {@link #pollers} for any edge its mask names. Loop thread only.
 */
final class EpollFd {
    static final int READ_SIDE = 0;
    static final int WRITE_SIDE = 1;
    static final int POLL_SIDE = 2;

    final int fd;
    /** Tells this registration's edges from those of an earlier file that had the same fd number. */
    final int generation;
    /** False for a file epoll refuses ({@code EPERM}: regular files and directories), which is always ready. */
    final boolean pollable;
    boolean readable = true;
    boolean writable = true;
    /** An RDHUP, HUP or ERR edge came: end of stream or an error is pending, whose edge may already be taken. */
    boolean hangup;
    final ArrayDeque<EmulatedOp> readers = new ArrayDeque<>();
    final ArrayDeque<EmulatedOp> writers = new ArrayDeque<>();
    final ArrayDeque<EmulatedOp> pollers = new ArrayDeque<>();

    EpollFd(int fd, int generation, boolean pollable) {
        this.fd = fd;
        this.generation = generation;
        this.pollable = pollable;
    }

    ArrayDeque<EmulatedOp> side(int side) {
        return side == READ_SIDE ? readers : side == WRITE_SIDE ? writers : pollers;
    }

    boolean ready(int side) {
        return side == READ_SIDE ? readable : writable;
    }

    void notReady(int side) {
        if (side == READ_SIDE) {
            readable = false;
        } else {
            writable = false;
        }
    }

    /** The epoll {@code data} word of this registration: the generation above the fd. */
    long data() {
        return ((long) generation << 32) | (fd & 0xFFFF_FFFFL);
    }

    boolean idle() {
        return readers.isEmpty() && writers.isEmpty() && pollers.isEmpty();
    }
}
