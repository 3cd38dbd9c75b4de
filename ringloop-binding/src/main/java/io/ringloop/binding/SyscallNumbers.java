package io.ringloop.binding;

/**
 * Syscall numbers for the calls libc has no wrapper for. io_uring's and futex_wake's numbers are the same on every
 * architecture (the unified table since 5.1); {@code futex} differs.
 * Source: arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h.
 */
final class SyscallNumbers {
    static final boolean X86_64 = isX86();

    static final long IO_URING_SETUP = 425;
    static final long IO_URING_ENTER = 426;
    static final long IO_URING_REGISTER = 427;
    /** futex2 {@code futex_wake(void *uaddr, unsigned long mask, int nr, unsigned int flags)}, Linux 6.7. */
    static final long FUTEX_WAKE = 454;
    static final long FUTEX = X86_64 ? 202 : 98;
    static final long GETTID = X86_64 ? 186 : 178;

    private SyscallNumbers() {
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return true;
        }
        if (arch.equals("aarch64")) {
            return false;
        }
        throw new UnsupportedOperationException("ringloop supports x86-64 and aarch64 Linux, not " + arch);
    }
}
