/**
 * The loop's side of its contract with ringloop's own I/O layer: {@link io.ringloop.internal.IoRequest}, a kernel
 * operation the loop drives, and {@link io.ringloop.internal.LoopInternals}, the calls on a loop that only that
 * layer may make. Exported to {@code io.ringloop.io} only; not an API.
 */
package io.ringloop.internal;
