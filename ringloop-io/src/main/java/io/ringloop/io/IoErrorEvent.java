package io.ringloop.io;

import io.ringloop.internal.LoopInternals;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR's view of a failed operation: one event per {@link RingIoException} made, with the operation, what it was on,
 * and the errno by number and name. Made only on the error path, and committed only while a recording has the event
 * enabled, so a successful operation pays nothing for it.
 */
@Name("ringloop.IoError")
@Label("I/O Error")
@Category("ringloop")
@Description("An I/O operation failed: the operation, its file or address, and the errno")
@StackTrace(false)
final class IoErrorEvent extends Event {
    @Label("Operation")
    String operation;
    @Label("Target")
    String target;
    @Label("Errno")
    int errno;
    @Label("Errno Name")
    String errnoName;

    /**
     * Reports failures to the recorder once it has started, and touches nothing of JFR before: the first
     * {@code new IoErrorEvent()} registers the event class, which sets up the recorder's metadata (about 160 ms on a
     * 2-vCPU machine, measured for the loop's own events), and the first failure is often on a loop thread (a reset
     * connection). The gate is the loop's ({@link LoopInternals#recorderStarted}); once it is open the class
     * registers itself at its first {@code new}, cheaply, the metadata being set up by then. A nested class, so that
     * calling it does not initialize the event class.
     */
    static final class Recorder {
        private Recorder() {
        }

        /** Records one failure if a recording wants it. */
        static void emit(String operation, String target, int errno, String errnoName) {
            if (!LoopInternals.recorderStarted()) {
                return;
            }
            IoErrorEvent event = new IoErrorEvent();
            if (event.shouldCommit()) {
                event.operation = operation;
                event.target = target;
                event.errno = errno;
                event.errnoName = errnoName;
                event.commit();
            }
        }
    }
}
