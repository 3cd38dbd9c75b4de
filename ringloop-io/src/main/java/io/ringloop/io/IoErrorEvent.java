package io.ringloop.io;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
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
     * connection). A nested class, so that calling it does not initialize the event class. Its listener costs about
     * 3 ms, once, and is told at once if the recorder already runs.
     */
    static final class Recorder {
        /** Set once the recorder has started and the event class is registered; a stale false skips one event. */
        private static volatile boolean started;

        static {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    FlightRecorder.register(IoErrorEvent.class);
                    started = true;
                }
            });
        }

        private Recorder() {
        }

        /** Records one failure if a recording wants it. */
        static void emit(String operation, String target, int errno, String errnoName) {
            if (!started) {
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
