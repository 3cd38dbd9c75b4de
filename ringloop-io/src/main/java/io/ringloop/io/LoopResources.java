package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.internal.LoopInternals;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the I/O layer keeps per loop: the open channels, so that a loop's termination closes the fds nobody closed
 * (as Netty closes a loop's channels at shutdown), and one ring of provided buffers shared by every socket receiving
 * on the loop, so that receive memory scales with loops, not connections.
 */
final class LoopResources {
    /** Buffers per loop (a power of two) and bytes per buffer: 4 MiB a loop by default. */
    static final int RECV_BUFFERS = Integer.getInteger("ringloop.io.recvBuffers", 512);
    static final int RECV_BUFFER_SIZE = Integer.getInteger("ringloop.io.recvBufferSize", 8192);
    /**
     * The shortest write that takes a socket's own receive buffer instead of copying. Below it the copy is cheaper:
     * a lent buffer sends a few bytes from a whole receive buffer (8 KiB or more) and the receive goes on in another
     * one from the pool, colder in cache; a thousand connections echoing 512 bytes each kept about a thousand such
     * buffers in flight between two reaps, past the pool's spares, so each pass allocated and freed hundreds of them.
     * A 512-byte copy into a 512-byte spare costs a few tens of nanoseconds and keeps the receive in its warm buffer.
     */
    static final int LEND_MIN_BYTES = 2048;

    private static final Map<EventLoop, LoopResources> ALL = new ConcurrentHashMap<>();

    private final Set<AsyncChannel> channels = ConcurrentHashMap.newKeySet();
    /** Loop thread only. */
    private ProvidedBufferRing buffers;
    /** Its buffers that writes keep past a receive handler's return; loop thread only. */
    private HeldBuffers held;
    /** Spare buffers for copies of received bytes that writes send; loop thread only. */
    private final CopyBuffers copies = new CopyBuffers();
    /**
     * The receive buffer of a socket's own (no buffer ring) whose bytes a handler has now, which the first write of
     * bytes inside it may take instead of a copy; null when none, or once taken. Loop thread only.
     */
    private MemorySegment lendable;
    private boolean lent;

    private LoopResources() {
    }

    static LoopResources of(EventLoop loop) {
        LoopResources r = ALL.get(loop);
        if (r != null) {
            return r;
        }
        LoopResources fresh = new LoopResources();
        r = ALL.putIfAbsent(loop, fresh);
        if (r != null) {
            return r;
        }
        // After the loop's last completion no operation can be in flight: every fd left open is closed here.
        loop.terminationFuture().whenComplete((v, t) -> {
            ALL.remove(loop);
            for (AsyncChannel c : fresh.channels) {
                c.closeAsync();
            }
        });
        return fresh;
    }

    void opened(AsyncChannel c) {
        channels.add(c);
    }

    void closed(AsyncChannel c) {
        channels.remove(c);
    }

    int openChannels() {
        return channels.size();
    }

    /** The loop's buffer ring, registered on first use; loop thread only. */
    ProvidedBufferRing buffers(EventLoop loop) {
        if (buffers == null) {
            buffers = LoopInternals.openBufferRing(loop, RECV_BUFFERS, RECV_BUFFER_SIZE);
            held = new HeldBuffers(buffers);
        }
        return buffers;
    }

    /** A single-shot receive hands its own buffer's bytes to its handler: a write may take the buffer. */
    void lendable(MemorySegment own) {
        lendable = own;
        lent = false;
    }

    /**
     * The handler returned.
     *
     * @return whether a write took the buffer: the receive must not write into it again, and the write gives it to
     *     {@link #copies()} when it ends
     */
    boolean lendableDone() {
        lendable = null;
        return lent;
    }

    /**
     * A write of {@code data} takes the buffer it lies in, if that is the lendable one, no write took it yet, and
     * {@code data} is at least {@link #LEND_MIN_BYTES} long.
     *
     * @return the whole buffer taken, or null (the caller copies)
     */
    MemorySegment lend(MemorySegment data) {
        MemorySegment b = lendable;
        if (b == null || lent || data.byteSize() < LEND_MIN_BYTES || !data.isNative() || data.address() < b.address()
                || data.address() + data.byteSize() > b.address() + b.byteSize()) {
            return null;
        }
        lent = true;
        return b;
    }

    /** The loop's spare buffers for copies of received bytes; loop thread only. */
    CopyBuffers copies() {
        return copies;
    }

    /** The loop's held buffers, or null while it has no buffer ring; loop thread only. */
    HeldBuffers held() {
        return held;
    }
}
