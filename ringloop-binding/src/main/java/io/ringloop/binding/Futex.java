package io.ringloop.binding;

/**
 * futex constants, from include/uapi/linux/futex.h: futex2's (Linux 6.7) and the classic {@code futex(2)} operations
 * (every kernel ringloop runs on).
 */
public final class Futex {
    /** The futex word is 32 bits. */
    public static final int FUTEX2_SIZE_U32 = 0x02;
    /** Process-private futex (same bit as the classic {@code FUTEX_PRIVATE_FLAG}). */
    public static final int FUTEX2_PRIVATE = 128;
    /** Match any bitset. */
    public static final long FUTEX_BITSET_MATCH_ANY = 0xffff_ffffL;

    /** Classic {@code futex(2)}: sleep while the word equals the value, with a relative timeout. */
    public static final int FUTEX_WAIT = 0;
    /** Classic {@code futex(2)}: wake up to a count of waiters. */
    public static final int FUTEX_WAKE = 1;
    /** Classic {@code futex(2)}: the futex is private to the process (keyed by address, no page lookup). */
    public static final int FUTEX_PRIVATE_FLAG = 128;

    private Futex() {
    }
}
