package io.ringloop.io;

/**
 * Options for TCP sockets, applied with {@code setsockopt} when the socket is made (servers pass theirs on to the
 * sockets they accept).
 *
 * @param tcpNoDelay {@code TCP_NODELAY} (default true: an event loop writes whole messages)
 * @param reuseAddress {@code SO_REUSEADDR} (default true)
 * @param reusePort {@code SO_REUSEPORT}: several listening sockets, one per loop, share a port (default false)
 * @param keepAlive {@code SO_KEEPALIVE} (default false)
 * @param backlog the listen backlog for servers (default 1024)
 * @param receiveBufferSize {@code SO_RCVBUF}, 0 for the kernel's default
 * @param sendBufferSize {@code SO_SNDBUF}, 0 for the kernel's default
 * @param zeroCopySendThreshold writes of at least this many bytes are sent with {@code IORING_OP_SEND_ZC} (6.0):
 *     the kernel sends from the buffer's pages instead of copying them, and the write ends only at the notification
 *     that it no longer reads them; 0 (the default) never. Worth it for large writes to a real network; on loopback
 *     the kernel copies anyway (docs/PERFORMANCE.md has what was measured)
 */
public record SocketOptions(boolean tcpNoDelay, boolean reuseAddress, boolean reusePort, boolean keepAlive, int backlog,
        int receiveBufferSize, int sendBufferSize, int zeroCopySendThreshold) {

    private static final SocketOptions DEFAULT_VALUES = new SocketOptions(true, true, false, false, 1024, 0, 0, 0);

    /**
     * The defaults; {@link #defaults()} says the same, as {@code LoopOptions.defaults()} does for loops.
     *
     * @deprecated use {@link #defaults()}: one way to say it
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static final SocketOptions DEFAULTS = DEFAULT_VALUES;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a negative backlog, buffer size or threshold
     */
    public SocketOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
        }
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must be >= 0 (0 = kernel default), were "
                    + receiveBufferSize + " and " + sendBufferSize);
        }
        if (zeroCopySendThreshold < 0) {
            throw new IllegalArgumentException("zeroCopySendThreshold must be >= 0 (0 = never), was "
                    + zeroCopySendThreshold);
        }
    }

    /**
     * The options as they were before {@code zeroCopySendThreshold}: that one 0 (never).
     *
     * @param tcpNoDelay {@code TCP_NODELAY}
     * @param reuseAddress {@code SO_REUSEADDR}
     * @param reusePort {@code SO_REUSEPORT}
     * @param keepAlive {@code SO_KEEPALIVE}
     * @param backlog the listen backlog
     * @param receiveBufferSize {@code SO_RCVBUF}, 0 for the kernel's default
     * @param sendBufferSize {@code SO_SNDBUF}, 0 for the kernel's default
     */
    public SocketOptions(boolean tcpNoDelay, boolean reuseAddress, boolean reusePort, boolean keepAlive, int backlog,
            int receiveBufferSize, int sendBufferSize) {
        this(tcpNoDelay, reuseAddress, reusePort, keepAlive, backlog, receiveBufferSize, sendBufferSize, 0);
    }

    /**
     * The defaults: {@code TCP_NODELAY} and {@code SO_REUSEADDR} on, backlog 1024, the kernel's buffer sizes.
     *
     * @return the defaults
     */
    public static SocketOptions defaults() {
        return DEFAULT_VALUES;
    }

    /**
     * With {@code TCP_NODELAY} set or not.
     *
     * @param on the value
     * @return a copy
     */
    public SocketOptions withTcpNoDelay(boolean on) {
        return new SocketOptions(on, reuseAddress, reusePort, keepAlive, backlog, receiveBufferSize,
                sendBufferSize, zeroCopySendThreshold);
    }

    /**
     * With {@code SO_REUSEADDR} set or not.
     *
     * @param on the value
     * @return a copy
     */
    public SocketOptions withReuseAddress(boolean on) {
        return new SocketOptions(tcpNoDelay, on, reusePort, keepAlive, backlog, receiveBufferSize,
                sendBufferSize, zeroCopySendThreshold);
    }

    /**
     * With {@code SO_REUSEPORT} set or not.
     *
     * @param on the value
     * @return a copy
     */
    public SocketOptions withReusePort(boolean on) {
        return new SocketOptions(tcpNoDelay, reuseAddress, on, keepAlive, backlog, receiveBufferSize,
                sendBufferSize, zeroCopySendThreshold);
    }

    /**
     * With {@code SO_KEEPALIVE} set or not.
     *
     * @param on the value
     * @return a copy
     */
    public SocketOptions withKeepAlive(boolean on) {
        return new SocketOptions(tcpNoDelay, reuseAddress, reusePort, on, backlog, receiveBufferSize,
                sendBufferSize, zeroCopySendThreshold);
    }

    /**
     * With a listen backlog.
     *
     * @param n the backlog, {@code >= 1}
     * @return a copy
     */
    public SocketOptions withBacklog(int n) {
        return new SocketOptions(tcpNoDelay, reuseAddress, reusePort, keepAlive, n, receiveBufferSize,
                sendBufferSize, zeroCopySendThreshold);
    }

    /**
     * With socket buffer sizes.
     *
     * @param receive {@code SO_RCVBUF}, 0 for the default
     * @param send {@code SO_SNDBUF}, 0 for the default
     * @return a copy
     */
    public SocketOptions withBufferSizes(int receive, int send) {
        return new SocketOptions(tcpNoDelay, reuseAddress, reusePort, keepAlive, backlog, receive,
                send, zeroCopySendThreshold);
    }

    /**
     * Sends writes of at least this many bytes without copying them ({@code IORING_OP_SEND_ZC}); 0 never.
     *
     * @param bytes the threshold, {@code >= 0}
     * @return new options
     */
    public SocketOptions withZeroCopySendThreshold(int bytes) {
        return new SocketOptions(tcpNoDelay, reuseAddress, reusePort, keepAlive, backlog, receiveBufferSize,
                sendBufferSize, bytes);
    }
}
