package io.ringloop;

/**
 * The fields of {@link TaskSlots}, laid out by inheritance (as JCTools does) so that the producers' hint and the loop's
 * fields sit on cache lines of their own: the JVM keeps a superclass's fields before a subclass's, in order.
 */
final class TaskSlotsLayout {
    private TaskSlotsLayout() {
    }

    /** One link of the chain. */
    static final class Chunk {
        final long base;
        final Object[] slots = new Object[TaskSlots.CHUNK];
        volatile Chunk next;

        Chunk(long base) {
            this.base = base;
        }
    }

    // ---------------------------------------------------------------- field layout (padding by inheritance)

    abstract static class PadHead {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** Written by producers once per chunk, read by every producer. */
    abstract static class HintField extends PadHead {
        volatile Chunk hint;
    }

    abstract static class PadMiddle extends HintField {
        long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
    }

    /** The loop's own: {@code reading} is published once per chunk for producers behind the hint. */
    abstract static class ConsumerFields extends PadMiddle {
        volatile Chunk reading;
        Chunk current;
        long taken;
        int cleared;
        long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;
    }
}
