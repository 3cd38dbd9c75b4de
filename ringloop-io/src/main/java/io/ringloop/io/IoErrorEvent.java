package io.ringloop.io;

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

    /** Records one failure if a recording wants it. */
    static void emit(String operation, String target, int errno, String errnoName) {
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
