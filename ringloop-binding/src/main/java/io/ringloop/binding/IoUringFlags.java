package io.ringloop.binding;

/**
 * The small flag sets of include/uapi/linux/io_uring.h: enter flags, SQ ring flags, SQE and CQE flags, and the
 * per-opcode flags ringloop uses. Each group is named after its C prefix.
 */
public final class IoUringFlags {
    // IORING_ENTER_*
    public static final int ENTER_GETEVENTS = 1;
    public static final int ENTER_SQ_WAKEUP = 1 << 1;
    public static final int ENTER_SQ_WAIT = 1 << 2;
    /** 5.11. */
    public static final int ENTER_EXT_ARG = 1 << 3;
    public static final int ENTER_REGISTERED_RING = 1 << 4;
    /** 6.15. */
    public static final int ENTER_NO_IOWAIT = 1 << 7;

    // IORING_SQ_* (the SQ ring's flags word, written by the kernel)
    public static final int SQ_NEED_WAKEUP = 1;
    /** Overflowed CQEs wait in the kernel: flush with GETEVENTS. */
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    /** Task work is pending (TASKRUN_FLAG): enter with GETEVENTS to run it. */
    public static final int SQ_TASKRUN = 1 << 2;
    /**
     * Never set by the kernel; ringloop's epoll emulation sets it while requests wait (on fds, timers or file workers):
     * a non-blocking GETEVENTS might complete some, and nothing announces which. A sleeping GETEVENTS waits for them.
     */
    public static final int SQ_EMULATION_WAITING = 1 << 31;

    // IOSQE_*
    public static final byte SQE_FIXED_FILE = 1;
    public static final byte SQE_IO_DRAIN = 1 << 1;
    public static final byte SQE_IO_LINK = 1 << 2;
    public static final byte SQE_IO_HARDLINK = 1 << 3;
    public static final byte SQE_ASYNC = 1 << 4;
    public static final byte SQE_BUFFER_SELECT = 1 << 5;
    /** 5.17. */
    public static final byte SQE_CQE_SKIP_SUCCESS = 1 << 6;

    // IORING_CQE_F_*
    public static final int CQE_F_BUFFER = 1;
    /** More CQEs will follow for this multishot request; absent on its last one. */
    public static final int CQE_F_MORE = 1 << 1;
    public static final int CQE_F_SOCK_NONEMPTY = 1 << 2;
    public static final int CQE_F_NOTIF = 1 << 3;
    public static final int CQE_F_BUF_MORE = 1 << 4;
    /** The buffer id sits above this shift in {@code cqe.flags}. */
    public static final int CQE_BUFFER_SHIFT = 16;

    // IORING_POLL_* (in sqe.len for POLL_ADD / POLL_REMOVE)
    public static final int POLL_ADD_MULTI = 1;
    public static final int POLL_UPDATE_EVENTS = 1 << 1;
    public static final int POLL_UPDATE_USER_DATA = 1 << 2;
    public static final int POLL_ADD_LEVEL = 1 << 3;
    /** {@code POLLIN}. */
    public static final int POLLIN = 0x0001;
    /** {@code POLLOUT}. */
    public static final int POLLOUT = 0x0004;

    // IORING_TIMEOUT_*
    public static final int TIMEOUT_ABS = 1;
    public static final int TIMEOUT_UPDATE = 1 << 1;
    public static final int TIMEOUT_BOOTTIME = 1 << 2;
    public static final int TIMEOUT_REALTIME = 1 << 3;
    public static final int TIMEOUT_ETIME_SUCCESS = 1 << 5;
    public static final int TIMEOUT_MULTISHOT = 1 << 6;

    // IORING_ASYNC_CANCEL_*
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    public static final int ASYNC_CANCEL_ANY = 1 << 2;
    public static final int ASYNC_CANCEL_USERDATA = 1 << 4;

    // accept and recv flags, in sqe.ioprio
    public static final short ACCEPT_MULTISHOT = 1;
    public static final short RECVSEND_POLL_FIRST = 1;
    public static final short RECV_MULTISHOT = 1 << 1;
    /** 6.10: one receive (or send) takes several provided buffers, consecutive in the ring; one CQE names the first. */
    public static final short RECVSEND_BUNDLE = 1 << 4;

    // MSG_RING: the command in sqe.addr, the flags in sqe.op_flags
    public static final long MSG_DATA = 0;
    public static final int MSG_RING_CQE_SKIP = 1;
    public static final int MSG_RING_FLAGS_PASS = 1 << 1;

    // fsync
    public static final int FSYNC_DATASYNC = 1;

    private IoUringFlags() {
    }
}
