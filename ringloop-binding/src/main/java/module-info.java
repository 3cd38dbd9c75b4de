/**
 * ringloop's kernel interface on the Foreign Function and Memory API: io_uring's syscalls with their errno, its
 * structs as named offsets, and the ring. Only {@link io.ringloop.kernel} (the exceptions a failed call raises) is
 * exported to everyone; the binding itself only to ringloop's loop and I/O modules, so that no consumer can depend
 * on it. Run with {@code --enable-native-access=io.ringloop.binding}: every restricted call is in this module.
 */
// The modules the binding is exported to are built after it: javac cannot see them yet.
@SuppressWarnings("module")
module io.ringloop.binding {
    exports io.ringloop.kernel;
    exports io.ringloop.binding to io.ringloop, io.ringloop.io;
}
