package io.ringloop.bench.loop;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/** A one-thread Netty 4.2 event loop group with one of its IoHandlers, used exactly as an application would. */
public final class NettyLoop implements LoopUnderTest {
    private final NettyTransport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final int tid;
    /** The handler that counts the loop's passes, or null for a loop used as an application would. */
    private final CountingIoHandler counting;

    private NettyLoop(NettyTransport transport, IoHandlerFactory factory, AtomicReference<CountingIoHandler> counting) {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(1, factory);
        this.loop = group.next();
        try {
            this.tid = LoopTid.of(loop);
        } catch (RuntimeException e) {
            NettyTransport.shutdown(group);
            throw e;
        }
        // read after the loop ran a task, so its handler exists however lazily Netty makes it
        this.counting = counting.get();
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
        return new NettyLoop(transport, transport.factory(), new AtomicReference<>());
    }

    /**
     * Starts a loop that never blocks while idle and counts its passes (see {@link CountingIoHandler}), after Netty's
     * own availability check.
     *
     * @param transport which IoHandler
     * @return the running loop
     * @throws UnavailableException when Netty reports the transport unusable here, with Netty's cause
     */
    public static NettyLoop openSpinning(NettyTransport transport) throws UnavailableException {
        transport.requireAvailable();
        AtomicReference<CountingIoHandler> counting = new AtomicReference<>();
        return new NettyLoop(transport, CountingIoHandler.wrapping(transport.factory(), counting::set), counting);
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
    public OptionalLong emptyIterations() {
        return counting == null ? OptionalLong.empty() : OptionalLong.of(counting.runs());
    }

    @Override
    public void close() {
        NettyTransport.shutdown(group);
    }
}
