package io.ringloop.bench.loop;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.concurrent.Executor;

/** Two event loops of one Netty 4.2 group with one IoHandler, used exactly as an application would. */
public final class NettyPair implements LoopPair {
    private final NettyTransport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop a;
    private final EventLoop b;
    private final int tidB;

    private NettyPair(NettyTransport transport) {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(2, transport.factory());
        this.a = group.next();
        this.b = group.next();
        this.tidB = LoopTid.of(b);
    }

    /**
     * Starts the two loops, after Netty's own availability check.
     *
     * @param transport which IoHandler
     * @return the running pair
     * @throws UnavailableException when Netty reports the transport unusable here, with Netty's cause
     */
    public static NettyPair open(NettyTransport transport) throws UnavailableException {
        transport.requireAvailable();
        NettyPair pair = new NettyPair(transport);
        if (pair.a == pair.b) {
            pair.close();
            throw new IllegalStateException("Netty handed out the same loop twice from a group of 2");
        }
        return pair;
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
    public Executor a() {
        return a;
    }

    @Override
    public Executor b() {
        return b;
    }

    @Override
    public int tidB() {
        return tidB;
    }

    @Override
    public void close() {
        NettyTransport.shutdown(group);
    }
}
