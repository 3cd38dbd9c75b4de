/**
 * ringloop's asynchronous files and sockets on an {@link io.ringloop.EventLoop}: {@link io.ringloop.io.AsyncFile},
 * {@link io.ringloop.io.AsyncSocket}, {@link io.ringloop.io.AsyncServerSocket}; and in
 * {@link io.ringloop.io.blocking} their blocking forms for virtual threads.
 */
module io.ringloop.io {
    requires transitive io.ringloop;
    requires jdk.jfr;

    exports io.ringloop.io;
    exports io.ringloop.io.blocking;
}
