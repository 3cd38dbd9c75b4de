package io.ringloop.examples;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoHandler;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Echo, the per-connection logic of a TCP echo server: every arrival is written back in order, and the connection is
 * closed when the peer's side ends. Use it as {@code server.accept(s -> s.receive(EchoHandler.INSTANCE))}.
 *
 * <p>The bytes are copied out of the provided buffer, which goes back to the kernel when {@link #onData} returns,
 * into a buffer that stays the write's until its handler runs (the kernel has let go of it by then), and then goes
 * back to a pool. A socket's writes leave in the order they were called, so the peer reads back exactly what it sent;
 * writes that queue behind each other leave together in one {@code sendmsg}.
 *
 * <p>Why a pool: a fresh {@code Arena.ofAuto()} segment per arrival costs a {@code malloc}, page faults on new memory,
 * zeroing and a cleaner for the collector; a streaming client made that the server's largest cost. Every callback runs
 * on the loop thread, so each loop thread has a pool of its own and nothing is shared. The handler keeps no state per
 * connection: one instance serves every connection of every loop.
 */
public final class EchoHandler implements ReceiveHandler {
    /** The one instance. */
    public static final EchoHandler INSTANCE = new EchoHandler();
    /** Pooled buffers' size: that of the loop's provided receive buffers, so that every arrival fits one. */
    private static final int BUFFER_BYTES = Integer.getInteger("ringloop.io.recvBufferSize", 8192);
    /** Buffers kept per loop thread; more in flight at once are allocated and left to the collector. */
    private static final int POOL_LIMIT = 1024;
    private static final ThreadLocal<ArrayDeque<MemorySegment>> POOL = ThreadLocal.withInitial(ArrayDeque::new);

    /** Gives the buffer back once the write has ended, whichever way. */
    private static final IoHandler<MemorySegment> RETURN = new IoHandler<>() {
        @Override
        public void completed(long result, MemorySegment buffer) {
            giveBack(buffer);
        }

        @Override
        public void failed(RingIoException error, MemorySegment buffer) {
            // The socket is closing or broken: its receive ends too, and onEnd closes it.
            giveBack(buffer);
        }
    };

    private EchoHandler() {
    }

    @Override
    public void onData(AsyncSocket socket, MemorySegment data) {
        long n = data.byteSize();
        MemorySegment buffer = n <= BUFFER_BYTES ? POOL.get().poll() : null;
        if (buffer == null) {
            buffer = Arena.ofAuto().allocate(Math.max(n, BUFFER_BYTES));
        }
        MemorySegment.copy(data, 0, buffer, 0, n);
        socket.writeAll(buffer.asSlice(0, n), 0, TimeUnit.NANOSECONDS, buffer, RETURN);
    }

    private static void giveBack(MemorySegment buffer) {
        ArrayDeque<MemorySegment> pool = POOL.get();
        if (buffer.byteSize() == BUFFER_BYTES && pool.size() < POOL_LIMIT) {
            pool.push(buffer);
        }
    }

    @Override
    public void onEnd(AsyncSocket socket, RingIoException error) {
        socket.close();
    }
}
