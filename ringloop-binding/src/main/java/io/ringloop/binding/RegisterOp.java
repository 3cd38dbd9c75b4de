package io.ringloop.binding;

/**
 * {@code io_uring_register(2)} opcodes ringloop uses, from include/uapi/linux/io_uring.h.
 */
public final class RegisterOp {
    public static final int REGISTER_BUFFERS = 0;
    public static final int UNREGISTER_BUFFERS = 1;
    public static final int REGISTER_FILES = 2;
    public static final int UNREGISTER_FILES = 3;
    public static final int REGISTER_EVENTFD = 4;
    public static final int UNREGISTER_EVENTFD = 5;
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_ENABLE_RINGS = 12;
    /** 5.18: put the ring fd in the calling thread's table of io_uring fds, to enter by index. */
    public static final int REGISTER_RING_FDS = 20;
    public static final int UNREGISTER_RING_FDS = 21;
    /** 5.19. */
    public static final int REGISTER_PBUF_RING = 22;
    public static final int UNREGISTER_PBUF_RING = 23;
    /** 6.13: post a MSG_RING DATA message with no ring of one's own; the ring fd argument is -1. */
    public static final int REGISTER_SEND_MSG_RING = 31;

    private RegisterOp() {
    }
}
