/**
 * ringloop's asynchronous files and sockets on an {@link io.ringloop.EventLoop}: {@link io.ringloop.io.AsyncFile},
 * {@link io.ringloop.io.AsyncSocket}, {@link io.ringloop.io.AsyncServerSocket}.
 */
module io.ringloop.io {
    requires transitive io.ringloop;
    requires jdk.jfr;

    exports io.ringloop.io;
}
