package io.ringloop.binding;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code IORING_FEAT_*} bits that the kernel reports in {@code io_uring_params.features}.
 */
public final class Features {
    /** 5.4: SQ and CQ rings share one mmap. */
    public static final int SINGLE_MMAP = 1;
    /** 5.5: overflowed CQEs are kept, not dropped. */
    public static final int NODROP = 1 << 1;
    public static final int SUBMIT_STABLE = 1 << 2;
    public static final int RW_CUR_POS = 1 << 3;
    public static final int CUR_PERSONALITY = 1 << 4;
    public static final int FAST_POLL = 1 << 5;
    public static final int POLL_32BITS = 1 << 6;
    public static final int SQPOLL_NONFIXED = 1 << 7;
    /** 5.11: {@code io_uring_enter} takes {@code struct io_uring_getevents_arg}. */
    public static final int EXT_ARG = 1 << 8;
    public static final int NATIVE_WORKERS = 1 << 9;
    public static final int RSRC_TAGS = 1 << 10;
    /** 5.17: {@code IOSQE_CQE_SKIP_SUCCESS}. */
    public static final int CQE_SKIP = 1 << 11;
    public static final int LINKED_FILE = 1 << 12;
    public static final int REG_REG_RING = 1 << 13;
    public static final int RECVSEND_BUNDLE = 1 << 14;
    /** 6.12. */
    public static final int MIN_TIMEOUT = 1 << 15;
    public static final int RW_ATTR = 1 << 16;
    /** 6.15: {@code IORING_ENTER_NO_IOWAIT}. */
    public static final int NO_IOWAIT = 1 << 17;

    private static final String[] NAMES = {"SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY",
        "FAST_POLL", "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT"};

    private Features() {
    }

    /**
     * Names the features in a mask.
     *
     * @param features a mask
     * @return their names, lowest bit first
     */
    public static List<String> names(int features) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if ((features & (1 << i)) != 0) {
                names.add(i < NAMES.length ? NAMES[i] : "BIT_" + i);
            }
        }
        return names;
    }

    /**
     * Finds a feature by name.
     *
     * @param name for example {@code "EXT_ARG"}
     * @return its bit, or 0 if unknown
     */
    public static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return 1 << i;
            }
        }
        return 0;
    }
}
