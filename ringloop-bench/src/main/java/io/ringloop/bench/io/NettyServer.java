package io.ringloop.bench.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.ringloop.bench.loop.NettyTransport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peers of ringloop's example servers, on one event loop thread like the examples' default: an echo
 * server (every read written back, flushed at the end of the read batch) and an HTTP/1.1 server that answers every
 * request, found at its blank line as ringloop's {@code HttpServerMain} does, with the same fixed response bytes
 * (keep-alive and pipelining; no codec, so both servers do the same work per request).
 *
 * <p>Run as its own process by the showdown: {@code NettyServer echo|http io_uring|epoll PORT} prints
 * {@code ... on 127.0.0.1:PORT} once it listens and serves until killed.
 */
public final class NettyServer implements AutoCloseable {
    /** ringloop's {@code HttpServerMain} response, byte for byte (the showdown checks they still match). */
    public static final String HTTP_RESPONSE = "HTTP/1.1 200 OK\r\nServer: ringloop\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 13\r\n\r\nHello, World!";

    /** Which server. */
    public enum Kind {
        /** Writes back what it reads. */
        ECHO,
        /** Answers every request with {@link #HTTP_RESPONSE}. */
        HTTP
    }

    private final MultiThreadIoEventLoopGroup group;
    private final Channel server;
    private final CountDownLatch closed = new CountDownLatch(1);

    private NettyServer(MultiThreadIoEventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /**
     * Starts a server on one event loop that both accepts and serves.
     *
     * @param kind echo or HTTP
     * @param transport {@link NettyTransport#IO_URING} or {@link NettyTransport#EPOLL}
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @return the listening server
     * @throws InterruptedException if interrupted while binding
     * @throws IllegalStateException if the transport is unavailable here, with Netty's cause
     */
    public static NettyServer start(Kind kind, NettyTransport transport, String host, int port)
            throws InterruptedException {
        return start(kind, transport, host, port, 1);
    }

    /**
     * Starts a server on {@code loops} event loop threads: the listening channel on one, connections spread over all.
     *
     * @param kind echo or HTTP
     * @param transport io_uring or epoll
     * @param host the address to bind
     * @param port the port, 0 for any
     * @param loops event loop threads
     * @return the running server
     * @throws InterruptedException if interrupted while binding
     */
    public static NettyServer start(Kind kind, NettyTransport transport, String host, int port, int loops)
            throws InterruptedException {
        Class<? extends ServerChannel> channel = switch (transport) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> throw new IllegalArgumentException("the I/O benchmarks use io_uring and epoll only");
        };
        Throwable cause = transport.unavailability().orElse(null);
        if (cause != null) {
            throw new IllegalStateException(transport.system() + " unavailable", cause);
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, transport.factory());
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(kind == Kind.ECHO ? ECHO : new Http());
                        }
                    });
            Channel server = b.bind(host, port).sync().channel();
            return new NettyServer(group, server);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The port it listens on.
     *
     * @return the bound port
     */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        closed.countDown();
    }

    /**
     * {@code NettyServer echo|http io_uring|epoll PORT [HOST]}: serves until the process is killed.
     *
     * @param args kind, transport, port and optionally the host (default 127.0.0.1)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: NettyServer echo|http io_uring|epoll PORT [HOST [LOOPS]]");
            System.exit(2);
        }
        Kind kind = Kind.valueOf(args[0].toUpperCase(Locale.ROOT));
        NettyTransport transport = NettyTransport.valueOf(args[1].toUpperCase(Locale.ROOT));
        String host = args.length > 3 ? args[3] : "127.0.0.1";
        NettyServer s;
        try {
            int loops = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            s = start(kind, transport, host, Integer.parseInt(args[2]), loops);
        } catch (IllegalStateException e) {
            e.printStackTrace();
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.out.println("netty " + args[0] + " server (" + transport.variant() + ") on " + host + ":" + s.port());
        s.closed.await();
    }

    private static final ChannelHandler ECHO = new Echo();

    /** Writes back every read; flushes once per read batch. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static final ByteBuf RESPONSE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(HTTP_RESPONSE.length()).writeBytes(HTTP_RESPONSE.getBytes(StandardCharsets.US_ASCII)))
            .asReadOnly();

    /** One connection's parser state, as in ringloop's example: how much of CR LF CR LF the bytes so far end with. */
    private static final class Http extends ChannelInboundHandlerAdapter {
        private static final byte[] END = {'\r', '\n', '\r', '\n'};
        private int matched;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int m = matched;
                for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
                    byte b = in.getByte(i);
                    if (b == END[m]) {
                        if (++m == END.length) {
                            m = 0;
                            ctx.write(RESPONSE.duplicate(), ctx.voidPromise());
                        }
                    } else {
                        m = b == '\r' ? 1 : 0;
                    }
                }
                matched = m;
            } finally {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
