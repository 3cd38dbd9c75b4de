/**
 * ringloop's event loop: {@link io.ringloop.EventLoop}, {@link io.ringloop.LoopGroup}, their options, doorbells and
 * counters. {@code io.ringloop.internal} (I/O requests, and what only ringloop's I/O layer may do to a loop) is
 * exported to {@code io.ringloop.io} alone.
 */
// io.ringloop.io is built after this module: javac cannot see it yet.
@SuppressWarnings("module")
module io.ringloop {
    requires transitive io.ringloop.binding;
    requires jdk.jfr;

    exports io.ringloop;
    exports io.ringloop.internal to io.ringloop.io;
}
