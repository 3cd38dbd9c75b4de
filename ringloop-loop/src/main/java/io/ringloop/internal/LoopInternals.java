package io.ringloop.internal;

import io.ringloop.EventLoop;
import io.ringloop.LoopCounter;
import io.ringloop.LoopOptions;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.kernel.NativeCallException;

import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * What ringloop's own I/O layer (and its tests and benchmarks) may do to a loop that a user may not: hand it kernel
 * requests, register buffer rings, ask the kernel feature table, and swap the syscall layer for fault injection.
 *
 * <p>The members live in {@code io.ringloop} as package-private methods, where the loop's own tests reach them; this
 * class passes calls through an {@link Access} that {@link EventLoop} installs when it is initialised, the pattern
 * the JDK uses between its own packages. The module exports this package to {@code io.ringloop.io} only, so a
 * consumer on the module path cannot compile a call to it; the public types of {@code io.ringloop} name no binding
 * type.
 */
public final class LoopInternals {
    private static volatile Access access;

    private LoopInternals() {
    }

    /**
     * The package-private side of {@code io.ringloop}, installed once.
     */
    public interface Access {
        /**
         * See {@link LoopInternals#submitIo}.
         *
         * @param loop the loop
         * @param request the request
         */
        void submitIo(EventLoop loop, IoRequest request);

        /**
         * See {@link LoopInternals#cancelIo}.
         *
         * @param loop the loop
         * @param request the request
         * @return false if the request already finished
         */
        boolean cancelIo(EventLoop loop, IoRequest request);

        /**
         * See {@link LoopInternals#openBufferRing}.
         *
         * @param loop the loop
         * @param count buffers
         * @param bufferSize bytes each
         * @return the ring
         */
        ProvidedBufferRing openBufferRing(EventLoop loop, int count, int bufferSize);

        /**
         * See {@link LoopInternals#supports}.
         *
         * @param loop the loop
         * @param feature the entry
         * @return true if the loop's ring may use it
         */
        boolean supports(EventLoop loop, KernelFeature feature);

        /**
         * See {@link LoopInternals#featureMask(LoopOptions)}.
         *
         * @param options the options
         * @return the mask
         */
        FeatureMask featureMask(LoopOptions options);

        /**
         * See {@link LoopInternals#featureMask(LoopOptions.Builder, FeatureMask)}.
         *
         * @param builder the builder
         * @param mask the mask
         */
        void featureMask(LoopOptions.Builder builder, FeatureMask mask);

        /**
         * See {@link LoopInternals#syscalls}.
         *
         * @param builder the builder
         * @param layer the layer
         */
        void syscalls(LoopOptions.Builder builder, SyscallLayer layer);

        /**
         * See {@link LoopInternals#count}.
         *
         * @param loop the loop
         * @param counter the counter
         * @param n how much to add
         */
        void count(EventLoop loop, LoopCounter counter, long n);

        /**
         * See {@link LoopInternals#recorderStarted}.
         *
         * @return whether the JDK Flight Recorder has started in this JVM
         */
        boolean recorderStarted();
    }

    /**
     * Called once, by {@code EventLoop}'s static initialiser.
     *
     * @param a the access
     * @throws IllegalStateException if called again
     */
    public static synchronized void install(Access a) {
        if (access != null) {
            throw new IllegalStateException("LoopInternals already installed");
        }
        access = Objects.requireNonNull(a, "access");
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            // A builder can be used before any loop exists: initialising EventLoop installs the access.
            try {
                MethodHandles.lookup().ensureInitialized(EventLoop.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /**
     * Hands an I/O request to the loop. Must be called on the loop thread.
     *
     * @param loop the loop
     * @param request the request
     * @throws IllegalStateException if called from another thread
     */
    public static void submitIo(EventLoop loop, IoRequest request) {
        access().submitIo(loop, request);
    }

    /**
     * Cancels an I/O request handed to {@link #submitIo}: if it still waits for CQ room it completes at once with
     * {@code -ECANCELED}; if the kernel has it, an {@code IORING_OP_ASYNC_CANCEL} is queued and the request completes
     * when the kernel answers ({@code -ECANCELED}, or its own result if it finished first). Must be called on the
     * loop thread.
     *
     * @param loop the loop
     * @param request the request
     * @return false if the request is neither waiting nor in flight (it already finished)
     * @throws IllegalStateException if called from another thread
     */
    public static boolean cancelIo(EventLoop loop, IoRequest request) {
        return access().cancelIo(loop, request);
    }

    /**
     * Registers a ring of provided buffers on the loop's ring for receives with buffer selection (multishot
     * receive); it is unregistered and freed when the loop terminates. Must be called on the loop thread.
     *
     * @param loop the loop
     * @param count how many buffers: a power of two up to 32768
     * @param bufferSize bytes per buffer
     * @return the registered buffer ring, with a fresh group id
     * @throws IllegalArgumentException if count or size is out of range
     * @throws UnsupportedOperationException before 5.19 (or under an older kernel profile): no buffer rings
     * @throws NativeCallException if the kernel refuses
     * @throws IllegalStateException if called from another thread
     */
    public static ProvidedBufferRing openBufferRing(EventLoop loop, int count, int bufferSize) {
        return access().openBufferRing(loop, count, bufferSize);
    }

    /**
     * Whether the loop's kernel, less the feature mask and the kernel profile, has an entry of the
     * {@link KernelFeature} table. Callable from any thread.
     *
     * @param loop the loop
     * @param feature the entry
     * @return true if the loop's ring may use it
     */
    public static boolean supports(EventLoop loop, KernelFeature feature) {
        return access().supports(loop, feature);
    }

    /**
     * The kernel features the options treat as missing: the mask and the kernel profile together.
     *
     * @param options the options
     * @return the mask
     */
    public static FeatureMask featureMask(LoopOptions options) {
        return access().featureMask(options);
    }

    /**
     * Sets the features to treat as missing, as a parsed mask.
     *
     * @param builder the builder
     * @param mask the mask
     * @return the builder
     */
    public static LoopOptions.Builder featureMask(LoopOptions.Builder builder, FeatureMask mask) {
        access().featureMask(builder, mask);
        return builder;
    }

    /**
     * Sets the syscall layer: the seam for fault injection and syscall counting.
     *
     * @param builder the builder
     * @param layer the layer
     * @return the builder
     */
    public static LoopOptions.Builder syscalls(LoopOptions.Builder builder, SyscallLayer layer) {
        access().syscalls(builder, layer);
        return builder;
    }

    /**
     * Adds to one of the loop's counters that the I/O layer keeps (receives and their re-arms). Loop thread only:
     * these counters are the loop thread's, written with opaque stores that other threads read through
     * {@link EventLoop#stats()}.
     *
     * @param loop the loop
     * @param counter the counter
     * @param n how much to add
     */
    public static void count(EventLoop loop, LoopCounter counter, long n) {
        access().count(loop, counter, n);
    }

    /**
     * Whether the JDK Flight Recorder has started in this JVM: until it has, ringloop makes no JFR event at all, so
     * that a process that never records never pays for setting the recorder up (the loop's events and the I/O layer's
     * {@code ringloop.IoError} share this one gate, and its one listener).
     *
     * @return true once the recorder has started and the loop's event classes are registered
     */
    public static boolean recorderStarted() {
        return access().recorderStarted();
    }
}
