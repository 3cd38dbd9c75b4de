package io.ringloop.binding;

import java.util.Locale;

/**
 * {@code enum io_uring_op} from include/uapi/linux/io_uring.h, with the first kernel that has each.
 */
public final class Opcode {
    public static final byte NOP = 0;
    public static final byte READV = 1;
    public static final byte WRITEV = 2;
    public static final byte FSYNC = 3;
    public static final byte READ_FIXED = 4;
    public static final byte WRITE_FIXED = 5;
    public static final byte POLL_ADD = 6;
    public static final byte POLL_REMOVE = 7;
    public static final byte SENDMSG = 9;
    public static final byte RECVMSG = 10;
    public static final byte TIMEOUT = 11;
    public static final byte TIMEOUT_REMOVE = 12;
    public static final byte ACCEPT = 13;
    public static final byte ASYNC_CANCEL = 14;
    public static final byte LINK_TIMEOUT = 15;
    public static final byte CONNECT = 16;
    public static final byte FALLOCATE = 17;
    public static final byte OPENAT = 18;
    public static final byte CLOSE = 19;
    public static final byte STATX = 21;
    public static final byte READ = 22;
    public static final byte WRITE = 23;
    public static final byte SEND = 26;
    public static final byte RECV = 27;
    public static final byte SHUTDOWN = 34;
    /** 5.18. */
    public static final byte MSG_RING = 40;
    public static final byte SOCKET = 45;
    public static final byte SEND_ZC = 47;
    public static final byte READ_MULTISHOT = 49;
    /** 6.7. */
    public static final byte FUTEX_WAIT = 51;
    /** 6.7. */
    public static final byte FUTEX_WAKE = 52;
    /** 6.7. */
    public static final byte FUTEX_WAITV = 53;
    public static final byte FTRUNCATE = 55;

    private static final String[] NAMES = new String[256];

    static {
        String[] names = {"NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
            "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
            "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
            "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
            "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT", "MSG_RING",
            "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC", "SENDMSG_ZC",
            "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE",
            "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT", "READV_FIXED", "WRITEV_FIXED", "PIPE"};
        System.arraycopy(names, 0, NAMES, 0, names.length);
    }

    private Opcode() {
    }

    /**
     * Names an opcode.
     *
     * @param opcode an opcode, 0 to 255
     * @return its name without the {@code IORING_OP_} prefix, or {@code "OP_<n>"}
     */
    public static String name(int opcode) {
        int op = opcode & 0xff;
        return NAMES[op] != null ? NAMES[op] : "OP_" + op;
    }

    /**
     * Finds an opcode by name.
     *
     * @param name for example {@code "FUTEX_WAIT"} (case-insensitive, {@code IORING_OP_} prefix optional)
     * @return the opcode, or -1 if the name is unknown
     */
    public static int byName(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace("IORING_OP_", "");
        for (int i = 0; i < NAMES.length; i++) {
            if (n.equals(NAMES[i])) {
                return i;
            }
        }
        return -1;
    }
}
