/**
 * What the kernel said when it refused: {@link io.ringloop.kernel.NativeCallException}, a failed system call with
 * its errno and the errno's name, and {@link io.ringloop.kernel.IoUringUnavailableException}, io_uring unusable in
 * this process (no io_uring, forbidden by a sysctl or seccomp, no memory for a ring), with what to do about it.
 *
 * {@snippet class="io.ringloop.kernel.snippets.KernelSnippets" region="explain"}
 *
 * <p>The one package of the binding module that every consumer sees: the rest of the binding is exported only to
 * ringloop's own modules.
 */
package io.ringloop.kernel;
