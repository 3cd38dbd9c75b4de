package io.ringloop.binding;

import java.util.Locale;

/**
 * The one table of what each kernel release added to io_uring: every setup flag, feature bit, opcode, register
 * operation and opcode flag ringloop names, with the first mainline release that has it. A kernel profile
 * ({@link FeatureMask#profile}) hides every entry newer than its release; the code asks {@link Ring#supports} before
 * it uses one.
 *
 * <p>Setup flags are found by trying them, feature bits are reported by the kernel and opcodes by the probe; register
 * operations and opcode flags are reported by nothing. For those the ring infers the answer from the release it can
 * see: the newest entry among the opcodes and feature bits the kernel reports (see {@link Ring#evidentRelease()}).
 * Distribution kernels that backport features are then under-estimated, which costs only a fallback.
 *
 * <p>Versions checked against the kernel's {@code include/uapi/linux/io_uring.h} history and liburing's man pages.
 */
public enum KernelFeature {
    // IORING_SETUP_*
    IOPOLL(Kind.SETUP_FLAG, 5, 1),
    SQPOLL(Kind.SETUP_FLAG, 5, 1),
    SQ_AFF(Kind.SETUP_FLAG, 5, 1),
    CQSIZE(Kind.SETUP_FLAG, 5, 5),
    CLAMP(Kind.SETUP_FLAG, 5, 6),
    ATTACH_WQ(Kind.SETUP_FLAG, 5, 6),
    R_DISABLED(Kind.SETUP_FLAG, 5, 10),
    SUBMIT_ALL(Kind.SETUP_FLAG, 5, 18),
    COOP_TASKRUN(Kind.SETUP_FLAG, 5, 19),
    TASKRUN_FLAG(Kind.SETUP_FLAG, 5, 19),
    SQE128(Kind.SETUP_FLAG, 5, 19),
    CQE32(Kind.SETUP_FLAG, 5, 19),
    SINGLE_ISSUER(Kind.SETUP_FLAG, 6, 0),
    DEFER_TASKRUN(Kind.SETUP_FLAG, 6, 1),
    NO_MMAP(Kind.SETUP_FLAG, 6, 5),
    REGISTERED_FD_ONLY(Kind.SETUP_FLAG, 6, 5),
    NO_SQARRAY(Kind.SETUP_FLAG, 6, 6),

    // IORING_FEAT_*
    SINGLE_MMAP(Kind.FEATURE, 5, 4),
    NODROP(Kind.FEATURE, 5, 5),
    SUBMIT_STABLE(Kind.FEATURE, 5, 5),
    RW_CUR_POS(Kind.FEATURE, 5, 6),
    CUR_PERSONALITY(Kind.FEATURE, 5, 6),
    FAST_POLL(Kind.FEATURE, 5, 7),
    POLL_32BITS(Kind.FEATURE, 5, 9),
    SQPOLL_NONFIXED(Kind.FEATURE, 5, 11),
    EXT_ARG(Kind.FEATURE, 5, 11),
    NATIVE_WORKERS(Kind.FEATURE, 5, 12),
    RSRC_TAGS(Kind.FEATURE, 5, 13),
    /** Also {@code IOSQE_CQE_SKIP_SUCCESS}, which the feature bit announces. */
    CQE_SKIP(Kind.FEATURE, 5, 17),
    LINKED_FILE(Kind.FEATURE, 5, 17),
    REG_REG_RING(Kind.FEATURE, 6, 3),
    /** Also the {@code IORING_RECVSEND_BUNDLE} flag of send and receive, which the feature bit announces. */
    RECVSEND_BUNDLE(Kind.FEATURE, 6, 10),
    MIN_TIMEOUT(Kind.FEATURE, 6, 12),
    RW_ATTR(Kind.FEATURE, 6, 13),
    /** Also {@code IORING_ENTER_NO_IOWAIT}, which the feature bit announces. */
    NO_IOWAIT(Kind.FEATURE, 6, 15),

    // IORING_OP_*
    NOP(Kind.OPCODE, 5, 1),
    READV(Kind.OPCODE, 5, 1),
    WRITEV(Kind.OPCODE, 5, 1),
    FSYNC(Kind.OPCODE, 5, 1),
    READ_FIXED(Kind.OPCODE, 5, 1),
    WRITE_FIXED(Kind.OPCODE, 5, 1),
    POLL_ADD(Kind.OPCODE, 5, 1),
    POLL_REMOVE(Kind.OPCODE, 5, 1),
    SYNC_FILE_RANGE(Kind.OPCODE, 5, 2),
    SENDMSG(Kind.OPCODE, 5, 3),
    RECVMSG(Kind.OPCODE, 5, 3),
    TIMEOUT(Kind.OPCODE, 5, 4),
    TIMEOUT_REMOVE(Kind.OPCODE, 5, 5),
    ACCEPT(Kind.OPCODE, 5, 5),
    ASYNC_CANCEL(Kind.OPCODE, 5, 5),
    LINK_TIMEOUT(Kind.OPCODE, 5, 5),
    CONNECT(Kind.OPCODE, 5, 5),
    FALLOCATE(Kind.OPCODE, 5, 6),
    OPENAT(Kind.OPCODE, 5, 6),
    CLOSE(Kind.OPCODE, 5, 6),
    FILES_UPDATE(Kind.OPCODE, 5, 6),
    STATX(Kind.OPCODE, 5, 6),
    READ(Kind.OPCODE, 5, 6),
    WRITE(Kind.OPCODE, 5, 6),
    FADVISE(Kind.OPCODE, 5, 6),
    MADVISE(Kind.OPCODE, 5, 6),
    SEND(Kind.OPCODE, 5, 6),
    RECV(Kind.OPCODE, 5, 6),
    OPENAT2(Kind.OPCODE, 5, 6),
    EPOLL_CTL(Kind.OPCODE, 5, 6),
    SPLICE(Kind.OPCODE, 5, 7),
    PROVIDE_BUFFERS(Kind.OPCODE, 5, 7),
    REMOVE_BUFFERS(Kind.OPCODE, 5, 7),
    TEE(Kind.OPCODE, 5, 8),
    SHUTDOWN(Kind.OPCODE, 5, 11),
    RENAMEAT(Kind.OPCODE, 5, 11),
    UNLINKAT(Kind.OPCODE, 5, 11),
    MKDIRAT(Kind.OPCODE, 5, 15),
    SYMLINKAT(Kind.OPCODE, 5, 15),
    LINKAT(Kind.OPCODE, 5, 15),
    MSG_RING(Kind.OPCODE, 5, 18),
    FSETXATTR(Kind.OPCODE, 5, 19),
    SETXATTR(Kind.OPCODE, 5, 19),
    FGETXATTR(Kind.OPCODE, 5, 19),
    GETXATTR(Kind.OPCODE, 5, 19),
    SOCKET(Kind.OPCODE, 5, 19),
    URING_CMD(Kind.OPCODE, 5, 19),
    SEND_ZC(Kind.OPCODE, 6, 0),
    SENDMSG_ZC(Kind.OPCODE, 6, 1),
    READ_MULTISHOT(Kind.OPCODE, 6, 7),
    WAITID(Kind.OPCODE, 6, 7),
    FUTEX_WAIT(Kind.OPCODE, 6, 7),
    FUTEX_WAKE(Kind.OPCODE, 6, 7),
    FUTEX_WAITV(Kind.OPCODE, 6, 7),
    FIXED_FD_INSTALL(Kind.OPCODE, 6, 8),
    FTRUNCATE(Kind.OPCODE, 6, 9),
    BIND(Kind.OPCODE, 6, 11),
    LISTEN(Kind.OPCODE, 6, 11),
    RECV_ZC(Kind.OPCODE, 6, 15),
    EPOLL_WAIT(Kind.OPCODE, 6, 15),
    READV_FIXED(Kind.OPCODE, 6, 15),
    WRITEV_FIXED(Kind.OPCODE, 6, 15),
    PIPE(Kind.OPCODE, 6, 16),

    // IORING_REGISTER_*: no probe reports them
    REGISTER_BUFFERS(Kind.REGISTER_OP, 5, 1),
    REGISTER_FILES(Kind.REGISTER_OP, 5, 1),
    REGISTER_EVENTFD(Kind.REGISTER_OP, 5, 2),
    REGISTER_PROBE(Kind.REGISTER_OP, 5, 6),
    REGISTER_ENABLE_RINGS(Kind.REGISTER_OP, 5, 10),
    /** Registered ring fds, which save an fd lookup per {@code io_uring_enter}. */
    REGISTER_RING_FDS(Kind.REGISTER_OP, 5, 18),
    /** Provided-buffer rings, the buffers multishot receive picks from. */
    REGISTER_PBUF_RING(Kind.REGISTER_OP, 5, 19),
    /** A MSG_RING message sent from a thread that owns no ring ({@code io_uring_register(-1, ...)}). */
    REGISTER_SEND_MSG_RING(Kind.REGISTER_OP, 6, 13),

    // Opcode flags (in sqe.len, sqe.ioprio, sqe.*_flags or sqe.file_index): no probe reports them
    /** {@code IORING_TIMEOUT_UPDATE}: move a pending timeout's expiry in place. */
    TIMEOUT_UPDATE(Kind.OPCODE_FLAG, 5, 11),
    /** {@code IORING_POLL_ADD_MULTI}: multishot poll. */
    POLL_ADD_MULTI(Kind.OPCODE_FLAG, 5, 13),
    /** {@code IORING_TIMEOUT_ETIME_SUCCESS}. */
    TIMEOUT_ETIME_SUCCESS(Kind.OPCODE_FLAG, 5, 16),
    /** {@code IORING_ASYNC_CANCEL_ALL}: one cancel for every match. */
    ASYNC_CANCEL_ALL(Kind.OPCODE_FLAG, 5, 19),
    /** {@code IORING_ASYNC_CANCEL_FD}: match by fd. */
    ASYNC_CANCEL_FD(Kind.OPCODE_FLAG, 5, 19),
    /** {@code IORING_ASYNC_CANCEL_ANY}: match every request. */
    ASYNC_CANCEL_ANY(Kind.OPCODE_FLAG, 5, 19),
    /** {@code IORING_ACCEPT_MULTISHOT}. */
    ACCEPT_MULTISHOT(Kind.OPCODE_FLAG, 5, 19),
    /** {@code IORING_RECVSEND_POLL_FIRST}. */
    RECVSEND_POLL_FIRST(Kind.OPCODE_FLAG, 5, 19),
    /** {@code IORING_FILE_INDEX_ALLOC}: accept or open into a direct descriptor the kernel picks. */
    FILE_INDEX_ALLOC(Kind.OPCODE_FLAG, 5, 19),
    /** {@code IORING_RECV_MULTISHOT}. */
    RECV_MULTISHOT(Kind.OPCODE_FLAG, 6, 0),
    /** {@code IORING_TIMEOUT_MULTISHOT}. */
    TIMEOUT_MULTISHOT(Kind.OPCODE_FLAG, 6, 4);

    /** What an entry is, which says where the kernel reports it (or that nothing does). */
    public enum Kind {
        /** An {@code IORING_SETUP_*} flag: found by asking for it at setup. */
        SETUP_FLAG,
        /** An {@code IORING_FEAT_*} bit: reported by setup. */
        FEATURE,
        /** An {@code IORING_OP_*}: reported by the probe. */
        OPCODE,
        /** An {@code IORING_REGISTER_*} operation: reported by nothing. */
        REGISTER_OP,
        /** A flag of one opcode: reported by nothing. */
        OPCODE_FLAG
    }

    private final Kind kind;
    private final int major;
    private final int minor;

    KernelFeature(Kind kind, int major, int minor) {
        this.kind = kind;
        this.major = major;
        this.minor = minor;
    }

    /**
     * What the entry is.
     *
     * @return its kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether the kernel reports nothing about it (register operations and opcode flags): {@link Ring#supports}
     * then infers the answer from the release it can see.
     *
     * @return true for {@link Kind#REGISTER_OP} and {@link Kind#OPCODE_FLAG}
     */
    public boolean unreported() {
        return kind == Kind.REGISTER_OP || kind == Kind.OPCODE_FLAG;
    }

    /**
     * The first mainline release that has it.
     *
     * @return for example {@code "5.13"}
     */
    public String since() {
        return major + "." + minor;
    }

    /**
     * The first release as one comparable number.
     *
     * @return {@link #release(String)} of {@link #since()}
     */
    public int sinceRelease() {
        return major * 1000 + minor;
    }

    /**
     * The value the kernel knows it by, for the kinds that have one in ringloop's constant tables.
     *
     * @return the setup flag or feature bit, the opcode, or -1 for register operations and opcode flags
     */
    public int value() {
        return switch (kind) {
            case SETUP_FLAG -> SetupFlags.byName(name());
            case FEATURE -> Features.byName(name());
            case OPCODE -> Opcode.byName(name());
            case REGISTER_OP, OPCODE_FLAG -> -1;
        };
    }

    /**
     * The C name and the release, for error messages.
     *
     * @return for example {@code "IORING_POLL_ADD_MULTI (Linux 5.13+)"}
     */
    public String describe() {
        String c = switch (kind) {
            case SETUP_FLAG -> "IORING_SETUP_" + name();
            case FEATURE -> "IORING_FEAT_" + name();
            case OPCODE -> "IORING_OP_" + name();
            case REGISTER_OP -> "IORING_" + name();
            case OPCODE_FLAG -> "IORING_" + name();
        };
        return c + " (Linux " + since() + "+)";
    }

    /**
     * Finds an entry by name.
     *
     * @param name for example {@code "POLL_ADD_MULTI"}, any case, with or without an {@code IORING_} prefix
     * @return the entry, or null if the table has none of that name
     */
    public static KernelFeature byName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (String prefix : new String[] {"IORING_SETUP_", "IORING_FEAT_", "IORING_OP_", "IORING_"}) {
            if (n.startsWith(prefix)) {
                n = n.substring(prefix.length());
                break;
            }
        }
        for (KernelFeature f : values()) {
            if (f.name().equals(n)) {
                return f;
            }
        }
        return null;
    }

    /**
     * A release as one comparable number.
     *
     * @param version {@code "major.minor"}, for example {@code "5.15"}
     * @return {@code major * 1000 + minor}
     * @throws IllegalArgumentException if it is not {@code major.minor}
     */
    public static int release(String version) {
        String[] parts = version.trim().split("\\.");
        try {
            if (parts.length == 2) {
                int major = Integer.parseInt(parts[0]);
                int minor = Integer.parseInt(parts[1]);
                if (major > 0 && minor >= 0 && minor < 1000) {
                    return major * 1000 + minor;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("kernel release '" + version + "' is not major.minor, e.g. 5.15");
    }

    /**
     * Formats a number made by {@link #release(String)}.
     *
     * @param release the number
     * @return {@code "major.minor"}
     */
    public static String version(int release) {
        return release / 1000 + "." + release % 1000;
    }
}
