package io.ringloop.io;

import io.ringloop.EventLoop;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A test echo server: multishot accept, multishot receive, each arrival copied and written back in order. */
final class EchoServer implements AutoCloseable {
    final AsyncServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();

    EchoServer(EventLoop loop, InetSocketAddress at, SocketOptions options) throws RingIoException {
        server = AsyncServerSocket.bind(loop, at, options);
        server.accept(socket -> {
            accepted.incrementAndGet();
            socket.receive(new ReceiveHandler() {
                @Override
                public void onData(AsyncSocket s, MemorySegment data) {
                    MemorySegment copy = Arena.ofAuto().allocate(data.byteSize());
                    MemorySegment.copy(data, 0, copy, 0, data.byteSize());
                    s.writeAll(copy);
                }

                @Override
                public void onEnd(AsyncSocket s, RingIoException error) {
                    ended.incrementAndGet();
                    s.close();
                }
            });
        });
    }

    InetSocketAddress address() {
        return server.localAddress();
    }

    @Override
    public void close() {
        server.close();
    }
}
