package io.ringloop.binding;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every layout and constant of the binding against the numbers of the kernel's include/uapi/linux/io_uring.h
 * (6.18), include/uapi/linux/futex.h, time_types.h, uio.h, in.h and in6.h. The numbers here are typed from the
 * headers, never computed from the binding's own layouts.
 */
class AbiLayoutTest {
    @Test
    void shouldMatchIoUringParamsAndRingOffsetsOfTheKernelHeader() {
        assertThat(IoUringParams.LAYOUT.byteSize()).isEqualTo(120);
        assertThat(IoUringParams.SQ_OFFSETS.byteSize()).isEqualTo(40);
        assertThat(IoUringParams.CQ_OFFSETS.byteSize()).isEqualTo(40);
        assertThat(IoUringParams.SQ_ENTRIES).isEqualTo(0);
        assertThat(IoUringParams.CQ_ENTRIES).isEqualTo(4);
        assertThat(IoUringParams.FLAGS).isEqualTo(8);
        assertThat(IoUringParams.FEATURES).isEqualTo(20);
        assertThat(IoUringParams.WQ_FD).isEqualTo(24);
        assertThat(IoUringParams.SQ_OFF).isEqualTo(40);
        assertThat(IoUringParams.CQ_OFF).isEqualTo(80);

        assertThat(IoUringParams.SQ_OFF_HEAD).isEqualTo(40);
        assertThat(IoUringParams.SQ_OFF_TAIL).isEqualTo(44);
        assertThat(IoUringParams.SQ_OFF_RING_MASK).isEqualTo(48);
        assertThat(IoUringParams.SQ_OFF_RING_ENTRIES).isEqualTo(52);
        assertThat(IoUringParams.SQ_OFF_FLAGS).isEqualTo(56);
        assertThat(IoUringParams.SQ_OFF_DROPPED).isEqualTo(60);
        assertThat(IoUringParams.SQ_OFF_ARRAY).isEqualTo(64);

        assertThat(IoUringParams.CQ_OFF_HEAD).isEqualTo(80);
        assertThat(IoUringParams.CQ_OFF_TAIL).isEqualTo(84);
        assertThat(IoUringParams.CQ_OFF_RING_MASK).isEqualTo(88);
        assertThat(IoUringParams.CQ_OFF_RING_ENTRIES).isEqualTo(92);
        assertThat(IoUringParams.CQ_OFF_OVERFLOW).isEqualTo(96);
        assertThat(IoUringParams.CQ_OFF_CQES).isEqualTo(100);
        assertThat(IoUringParams.CQ_OFF_FLAGS).isEqualTo(104);
    }

    @Test
    void shouldMatchMmapOffsetsOfTheKernelHeader() {
        assertThat(Ring.IORING_OFF_SQ_RING).isEqualTo(0L);
        assertThat(Ring.IORING_OFF_CQ_RING).isEqualTo(0x8000000L);
        assertThat(Ring.IORING_OFF_SQES).isEqualTo(0x10000000L);
    }

    @Test
    void shouldMatchSqeLayoutOfTheKernelHeader() {
        assertThat(Sqe.SIZE).isEqualTo(64);
        assertThat(Sqe.OPCODE).isEqualTo(0);
        assertThat(Sqe.FLAGS).isEqualTo(1);
        assertThat(Sqe.IOPRIO).isEqualTo(2);
        assertThat(Sqe.FD).isEqualTo(4);
        assertThat(Sqe.OFF).isEqualTo(8);
        assertThat(Sqe.ADDR).isEqualTo(16);
        assertThat(Sqe.LEN).isEqualTo(24);
        assertThat(Sqe.OP_FLAGS).isEqualTo(28);
        assertThat(Sqe.USER_DATA).isEqualTo(32);
        assertThat(Sqe.BUF_INDEX).isEqualTo(40);
        assertThat(Sqe.PERSONALITY).isEqualTo(42);
        assertThat(Sqe.FILE_INDEX).isEqualTo(44);
        assertThat(Sqe.ADDR3).isEqualTo(48);
        assertThat(Sqe.PAD2).isEqualTo(56);
    }

    @Test
    void shouldMatchCqeLayoutOfTheKernelHeader() {
        assertThat(Cqe.SIZE).isEqualTo(16);
        assertThat(Cqe.USER_DATA).isEqualTo(0);
        assertThat(Cqe.RES).isEqualTo(8);
        assertThat(Cqe.FLAGS).isEqualTo(12);
    }

    @Test
    void shouldMatchSmallStructsOfTheKernelHeaders() {
        assertThat(Iovec.SIZE).isEqualTo(16);
        assertThat(Iovec.BASE).isEqualTo(0);
        assertThat(Iovec.LEN).isEqualTo(8);

        assertThat(KernelTimespec.SIZE).isEqualTo(16);
        assertThat(KernelTimespec.TV_SEC).isEqualTo(0);
        assertThat(KernelTimespec.TV_NSEC).isEqualTo(8);

        assertThat(GeteventsArg.SIZE).isEqualTo(24);
        assertThat(GeteventsArg.SIGMASK).isEqualTo(0);
        assertThat(GeteventsArg.SIGMASK_SZ).isEqualTo(8);
        assertThat(GeteventsArg.MIN_WAIT_USEC).isEqualTo(12);
        assertThat(GeteventsArg.TS).isEqualTo(16);
    }

    @Test
    void shouldLayOutMsghdrAsTheKernelDoes() {
        assertThat(MsgHdr.SIZE).isEqualTo(56);
        assertThat(MsgHdr.NAME).isEqualTo(0);
        assertThat(MsgHdr.NAMELEN).isEqualTo(8);
        assertThat(MsgHdr.IOV).isEqualTo(16);
        assertThat(MsgHdr.IOVLEN).isEqualTo(24);
        assertThat(MsgHdr.CONTROL).isEqualTo(32);
        assertThat(MsgHdr.CONTROLLEN).isEqualTo(40);
        assertThat(MsgHdr.FLAGS).isEqualTo(48);
    }

    @Test
    void shouldLayOutRsrcUpdateAsTheKernelDoes() {
        // struct io_uring_rsrc_update { __u32 offset; __u32 resv; __aligned_u64 data; }
        assertThat(RsrcUpdate.SIZE).isEqualTo(16);
        assertThat(RsrcUpdate.OFFSET).isEqualTo(0);
        assertThat(RsrcUpdate.DATA).isEqualTo(8);
        assertThat(RsrcUpdate.ANY_SLOT).isEqualTo(0xFFFF_FFFF);
    }

    @Test
    void shouldMatchSocketAddressLayoutsOfTheKernelHeaders() {
        assertThat(SockaddrIn.SIZE).isEqualTo(16);
        assertThat(SockaddrIn.FAMILY).isEqualTo(0);
        assertThat(SockaddrIn.PORT).isEqualTo(2);
        assertThat(SockaddrIn.ADDR).isEqualTo(4);

        assertThat(SockaddrIn6.SIZE).isEqualTo(28);
        assertThat(SockaddrIn6.FAMILY).isEqualTo(0);
        assertThat(SockaddrIn6.PORT).isEqualTo(2);
        assertThat(SockaddrIn6.FLOWINFO).isEqualTo(4);
        assertThat(SockaddrIn6.ADDR).isEqualTo(8);
        assertThat(SockaddrIn6.SCOPE_ID).isEqualTo(24);
    }

    @Test
    void shouldMatchProbeLayoutOfTheKernelHeader() {
        assertThat(IoUringProbe.HEADER_LAYOUT.byteSize()).isEqualTo(16);
        assertThat(IoUringProbe.OP_SIZE).isEqualTo(8);
        assertThat(IoUringProbe.LAST_OP).isEqualTo(0);
        assertThat(IoUringProbe.OPS_LEN).isEqualTo(1);
        assertThat(IoUringProbe.OPS).isEqualTo(16);
        assertThat(IoUringProbe.OP_OP).isEqualTo(0);
        assertThat(IoUringProbe.OP_FLAGS).isEqualTo(2);
        assertThat(IoUringProbe.OP_SUPPORTED).isEqualTo(1);
        assertThat(IoUringProbe.SIZE).isEqualTo(16 + 256 * 8);
    }

    @Test
    void shouldMatchProvidedBufferRingLayoutsOfTheKernelHeader() {
        assertThat(BufRing.REG_LAYOUT.byteSize()).isEqualTo(40);
        assertThat(BufRing.REG_RING_ADDR).isEqualTo(0);
        assertThat(BufRing.REG_RING_ENTRIES).isEqualTo(8);
        assertThat(BufRing.REG_BGID).isEqualTo(12);
        assertThat(BufRing.REG_FLAGS).isEqualTo(14);

        assertThat(BufRing.BUF_SIZE).isEqualTo(16);
        assertThat(BufRing.BUF_ADDR).isEqualTo(0);
        assertThat(BufRing.BUF_LEN).isEqualTo(8);
        assertThat(BufRing.BUF_BID).isEqualTo(12);
        assertThat(BufRing.TAIL).isEqualTo(14);
    }

    /** enum io_uring_op, in order, as of 6.18 (NOP128 and URING_CMD128 excluded: the binding stops at PIPE). */
    private static final List<String> KERNEL_OPS = List.of("NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED",
            "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE", "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT",
            "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL", "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE",
            "FILES_UPDATE", "STATX", "READ", "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL",
            "SPLICE", "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT",
            "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET",
            "URING_CMD", "SEND_ZC", "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE",
            "FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT",
            "READV_FIXED", "WRITEV_FIXED", "PIPE");

    @Test
    void shouldNumberOpcodesAsTheKernelEnum() {
        assertThat(Opcode.NOP).isEqualTo((byte) 0);
        assertThat(Opcode.READV).isEqualTo((byte) 1);
        assertThat(Opcode.WRITEV).isEqualTo((byte) 2);
        assertThat(Opcode.FSYNC).isEqualTo((byte) 3);
        assertThat(Opcode.READ_FIXED).isEqualTo((byte) 4);
        assertThat(Opcode.WRITE_FIXED).isEqualTo((byte) 5);
        assertThat(Opcode.POLL_ADD).isEqualTo((byte) 6);
        assertThat(Opcode.POLL_REMOVE).isEqualTo((byte) 7);
        assertThat(Opcode.SENDMSG).isEqualTo((byte) 9);
        assertThat(Opcode.RECVMSG).isEqualTo((byte) 10);
        assertThat(Opcode.TIMEOUT).isEqualTo((byte) 11);
        assertThat(Opcode.TIMEOUT_REMOVE).isEqualTo((byte) 12);
        assertThat(Opcode.ACCEPT).isEqualTo((byte) 13);
        assertThat(Opcode.ASYNC_CANCEL).isEqualTo((byte) 14);
        assertThat(Opcode.LINK_TIMEOUT).isEqualTo((byte) 15);
        assertThat(Opcode.CONNECT).isEqualTo((byte) 16);
        assertThat(Opcode.FALLOCATE).isEqualTo((byte) 17);
        assertThat(Opcode.OPENAT).isEqualTo((byte) 18);
        assertThat(Opcode.CLOSE).isEqualTo((byte) 19);
        assertThat(Opcode.STATX).isEqualTo((byte) 21);
        assertThat(Opcode.READ).isEqualTo((byte) 22);
        assertThat(Opcode.WRITE).isEqualTo((byte) 23);
        assertThat(Opcode.SEND).isEqualTo((byte) 26);
        assertThat(Opcode.RECV).isEqualTo((byte) 27);
        assertThat(Opcode.SHUTDOWN).isEqualTo((byte) 34);
        assertThat(Opcode.MSG_RING).isEqualTo((byte) 40);
        assertThat(Opcode.SOCKET).isEqualTo((byte) 45);
        assertThat(Opcode.SEND_ZC).isEqualTo((byte) 47);
        assertThat(Opcode.READ_MULTISHOT).isEqualTo((byte) 49);
        assertThat(Opcode.FUTEX_WAIT).isEqualTo((byte) 51);
        assertThat(Opcode.FUTEX_WAKE).isEqualTo((byte) 52);
        assertThat(Opcode.FUTEX_WAITV).isEqualTo((byte) 53);
        assertThat(Opcode.FTRUNCATE).isEqualTo((byte) 55);
    }

    @Test
    void shouldNameEveryOpcodeAsTheKernelEnumAndFindItByName() {
        for (int op = 0; op < KERNEL_OPS.size(); op++) {
            String name = KERNEL_OPS.get(op);
            assertThat(Opcode.name(op)).as("name of opcode %d", op).isEqualTo(name);
            assertThat(Opcode.byName(name)).as("opcode of %s", name).isEqualTo(op);
            assertThat(Opcode.byName("IORING_OP_" + name.toLowerCase(Locale.ROOT))).isEqualTo(op);
        }
        assertThat(Opcode.name(200)).isEqualTo("OP_200");
        assertThat(Opcode.byName("NO_SUCH_OP")).isEqualTo(-1);
    }

    @Test
    void shouldMatchSetupFlagsOfTheKernelHeader() {
        assertThat(SetupFlags.IOPOLL).isEqualTo(1);
        assertThat(SetupFlags.SQPOLL).isEqualTo(2);
        assertThat(SetupFlags.SQ_AFF).isEqualTo(4);
        assertThat(SetupFlags.CQSIZE).isEqualTo(8);
        assertThat(SetupFlags.CLAMP).isEqualTo(16);
        assertThat(SetupFlags.ATTACH_WQ).isEqualTo(32);
        assertThat(SetupFlags.R_DISABLED).isEqualTo(64);
        assertThat(SetupFlags.SUBMIT_ALL).isEqualTo(128);
        assertThat(SetupFlags.COOP_TASKRUN).isEqualTo(256);
        assertThat(SetupFlags.TASKRUN_FLAG).isEqualTo(512);
        assertThat(SetupFlags.SQE128).isEqualTo(1024);
        assertThat(SetupFlags.CQE32).isEqualTo(2048);
        assertThat(SetupFlags.SINGLE_ISSUER).isEqualTo(4096);
        assertThat(SetupFlags.DEFER_TASKRUN).isEqualTo(8192);
        assertThat(SetupFlags.NO_MMAP).isEqualTo(16384);
        assertThat(SetupFlags.REGISTERED_FD_ONLY).isEqualTo(32768);
        assertThat(SetupFlags.NO_SQARRAY).isEqualTo(65536);
        assertThat(SetupFlags.names(SetupFlags.SINGLE_ISSUER | SetupFlags.DEFER_TASKRUN))
                .containsExactly("SINGLE_ISSUER", "DEFER_TASKRUN");
        assertThat(SetupFlags.byName("no_sqarray")).isEqualTo(SetupFlags.NO_SQARRAY);
        assertThat(SetupFlags.byName("BOGUS")).isZero();
    }

    @Test
    void shouldMatchFeatureBitsOfTheKernelHeader() {
        assertThat(Features.SINGLE_MMAP).isEqualTo(1);
        assertThat(Features.NODROP).isEqualTo(2);
        assertThat(Features.SUBMIT_STABLE).isEqualTo(4);
        assertThat(Features.RW_CUR_POS).isEqualTo(8);
        assertThat(Features.CUR_PERSONALITY).isEqualTo(16);
        assertThat(Features.FAST_POLL).isEqualTo(32);
        assertThat(Features.POLL_32BITS).isEqualTo(64);
        assertThat(Features.SQPOLL_NONFIXED).isEqualTo(128);
        assertThat(Features.EXT_ARG).isEqualTo(256);
        assertThat(Features.NATIVE_WORKERS).isEqualTo(512);
        assertThat(Features.RSRC_TAGS).isEqualTo(1024);
        assertThat(Features.CQE_SKIP).isEqualTo(2048);
        assertThat(Features.LINKED_FILE).isEqualTo(4096);
        assertThat(Features.REG_REG_RING).isEqualTo(8192);
        assertThat(Features.RECVSEND_BUNDLE).isEqualTo(16384);
        assertThat(Features.MIN_TIMEOUT).isEqualTo(32768);
        assertThat(Features.RW_ATTR).isEqualTo(65536);
        assertThat(Features.NO_IOWAIT).isEqualTo(131072);
        assertThat(Features.names(Features.EXT_ARG | Features.NO_IOWAIT)).containsExactly("EXT_ARG", "NO_IOWAIT");
        assertThat(Features.byName("ext_arg")).isEqualTo(Features.EXT_ARG);
    }

    @Test
    void shouldMatchEnterSqAndCqeFlagsOfTheKernelHeader() {
        assertThat(IoUringFlags.ENTER_GETEVENTS).isEqualTo(1);
        assertThat(IoUringFlags.ENTER_SQ_WAKEUP).isEqualTo(2);
        assertThat(IoUringFlags.ENTER_SQ_WAIT).isEqualTo(4);
        assertThat(IoUringFlags.ENTER_EXT_ARG).isEqualTo(8);
        assertThat(IoUringFlags.ENTER_REGISTERED_RING).isEqualTo(16);
        assertThat(IoUringFlags.ENTER_NO_IOWAIT).isEqualTo(128);

        assertThat(IoUringFlags.SQ_NEED_WAKEUP).isEqualTo(1);
        assertThat(IoUringFlags.SQ_CQ_OVERFLOW).isEqualTo(2);
        assertThat(IoUringFlags.SQ_TASKRUN).isEqualTo(4);

        assertThat(IoUringFlags.SQE_FIXED_FILE).isEqualTo((byte) 1);
        assertThat(IoUringFlags.SQE_IO_DRAIN).isEqualTo((byte) 2);
        assertThat(IoUringFlags.SQE_IO_LINK).isEqualTo((byte) 4);
        assertThat(IoUringFlags.SQE_IO_HARDLINK).isEqualTo((byte) 8);
        assertThat(IoUringFlags.SQE_ASYNC).isEqualTo((byte) 16);
        assertThat(IoUringFlags.SQE_BUFFER_SELECT).isEqualTo((byte) 32);
        assertThat(IoUringFlags.SQE_CQE_SKIP_SUCCESS).isEqualTo((byte) 64);

        assertThat(IoUringFlags.CQE_F_BUFFER).isEqualTo(1);
        assertThat(IoUringFlags.CQE_F_MORE).isEqualTo(2);
        assertThat(IoUringFlags.CQE_F_SOCK_NONEMPTY).isEqualTo(4);
        assertThat(IoUringFlags.CQE_F_NOTIF).isEqualTo(8);
        assertThat(IoUringFlags.CQE_F_BUF_MORE).isEqualTo(16);
        assertThat(IoUringFlags.CQE_BUFFER_SHIFT).isEqualTo(16);
    }

    @Test
    void shouldMatchPerOpcodeFlagsOfTheKernelHeader() {
        assertThat(IoUringFlags.POLL_ADD_MULTI).isEqualTo(1);
        assertThat(IoUringFlags.POLL_UPDATE_EVENTS).isEqualTo(2);
        assertThat(IoUringFlags.POLL_UPDATE_USER_DATA).isEqualTo(4);
        assertThat(IoUringFlags.POLL_ADD_LEVEL).isEqualTo(8);
        assertThat(IoUringFlags.POLLIN).isEqualTo(1);
        assertThat(IoUringFlags.POLLOUT).isEqualTo(4);

        assertThat(IoUringFlags.TIMEOUT_ABS).isEqualTo(1);
        assertThat(IoUringFlags.TIMEOUT_UPDATE).isEqualTo(2);
        assertThat(IoUringFlags.TIMEOUT_BOOTTIME).isEqualTo(4);
        assertThat(IoUringFlags.TIMEOUT_REALTIME).isEqualTo(8);
        assertThat(IoUringFlags.TIMEOUT_ETIME_SUCCESS).isEqualTo(32);
        assertThat(IoUringFlags.TIMEOUT_MULTISHOT).isEqualTo(64);

        assertThat(IoUringFlags.ASYNC_CANCEL_ALL).isEqualTo(1);
        assertThat(IoUringFlags.ASYNC_CANCEL_FD).isEqualTo(2);
        assertThat(IoUringFlags.ASYNC_CANCEL_ANY).isEqualTo(4);
        assertThat(IoUringFlags.ASYNC_CANCEL_USERDATA).isEqualTo(16);

        assertThat(IoUringFlags.ACCEPT_MULTISHOT).isEqualTo((short) 1);
        assertThat(IoUringFlags.RECVSEND_POLL_FIRST).isEqualTo((short) 1);
        assertThat(IoUringFlags.RECV_MULTISHOT).isEqualTo((short) 2);

        assertThat(IoUringFlags.MSG_DATA).isEqualTo(0L);
        assertThat(IoUringFlags.MSG_RING_CQE_SKIP).isEqualTo(1);
        assertThat(IoUringFlags.MSG_RING_FLAGS_PASS).isEqualTo(2);
        assertThat(IoUringFlags.FSYNC_DATASYNC).isEqualTo(1);
    }

    @Test
    void shouldMatchRegisterOpcodesOfTheKernelHeader() {
        assertThat(RegisterOp.REGISTER_BUFFERS).isEqualTo(0);
        assertThat(RegisterOp.UNREGISTER_BUFFERS).isEqualTo(1);
        assertThat(RegisterOp.REGISTER_FILES).isEqualTo(2);
        assertThat(RegisterOp.UNREGISTER_FILES).isEqualTo(3);
        assertThat(RegisterOp.REGISTER_EVENTFD).isEqualTo(4);
        assertThat(RegisterOp.UNREGISTER_EVENTFD).isEqualTo(5);
        assertThat(RegisterOp.REGISTER_PROBE).isEqualTo(8);
        assertThat(RegisterOp.REGISTER_ENABLE_RINGS).isEqualTo(12);
        assertThat(RegisterOp.REGISTER_RING_FDS).isEqualTo(20);
        assertThat(RegisterOp.UNREGISTER_RING_FDS).isEqualTo(21);
        assertThat(RegisterOp.REGISTER_PBUF_RING).isEqualTo(22);
        assertThat(RegisterOp.UNREGISTER_PBUF_RING).isEqualTo(23);
        assertThat(RegisterOp.REGISTER_SEND_MSG_RING).isEqualTo(31);
    }

    @Test
    void shouldMatchFutexAndSyscallNumbers() {
        assertThat(Futex.FUTEX2_SIZE_U32).isEqualTo(0x02);
        assertThat(Futex.FUTEX2_PRIVATE).isEqualTo(128);
        assertThat(Futex.FUTEX_BITSET_MATCH_ANY).isEqualTo(0xffff_ffffL);
        assertThat(SyscallNumbers.IO_URING_SETUP).isEqualTo(425);
        assertThat(SyscallNumbers.IO_URING_ENTER).isEqualTo(426);
        assertThat(SyscallNumbers.IO_URING_REGISTER).isEqualTo(427);
        assertThat(SyscallNumbers.FUTEX_WAKE).isEqualTo(454);
    }

    @Test
    void shouldMatchErrnoValuesAndNames() {
        assertThat(Errno.EPERM).isEqualTo(1);
        assertThat(Errno.ENOENT).isEqualTo(2);
        assertThat(Errno.EINTR).isEqualTo(4);
        assertThat(Errno.EBADF).isEqualTo(9);
        assertThat(Errno.EAGAIN).isEqualTo(11);
        assertThat(Errno.ENOMEM).isEqualTo(12);
        assertThat(Errno.EBUSY).isEqualTo(16);
        assertThat(Errno.EEXIST).isEqualTo(17);
        assertThat(Errno.EINVAL).isEqualTo(22);
        assertThat(Errno.ENOSYS).isEqualTo(38);
        assertThat(Errno.EBADR).isEqualTo(53);
        assertThat(Errno.ETIME).isEqualTo(62);
        assertThat(Errno.EBADFD).isEqualTo(77);
        assertThat(Errno.ENOBUFS).isEqualTo(105);
        assertThat(Errno.EALREADY).isEqualTo(114);
        assertThat(Errno.ECANCELED).isEqualTo(125);
        assertThat(Errno.name(-Errno.ECANCELED)).isEqualTo("ECANCELED");
        assertThat(Errno.name(Errno.ETIME)).isEqualTo("ETIME");
        assertThat(Errno.name(-1234)).isEqualTo("errno 1234");
        assertThat(Errno.describe("io_uring_enter", -Errno.EBADF)).isEqualTo("io_uring_enter failed: EBADF (-9)");
    }
}
