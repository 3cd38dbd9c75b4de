package io.ringloop.bench.loop;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;


/** A one-thread Netty 4.2 event loop group with one of its IoHandlers, used exactly as an application would. */
public final class NettyLoop implements LoopUnderTest {
    private final NettyTransport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final int tid;

    private NettyLoop(NettyTransport transport) {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(1, transport.factory());
        this.loop = group.next();
        this.tid = LoopTid.of(loop);
    }

    /**
     * Starts a loop, after Netty's own availability check.
     *
     * @param transport which IoHandler
     * @return the running loop
     * @throws UnavailableException when Netty reports the transport unusable here, with Netty's cause
     */
    public static NettyLoop open(NettyTransport transport) throws UnavailableException {
        transport.requireAvailable();
        return new NettyLoop(transport);
    }

    @Override
    public String system() {
        return transport.system();
    }

    @Override
    public String variant() {
        return transport.variant();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public int loopTid() {
        return tid;
    }

    @Override
    public void close() {
        NettyTransport.shutdown(group);
    }
}
