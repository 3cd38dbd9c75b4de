/**
 * Files and TCP sockets on an {@link io.ringloop.EventLoop}: every operation is one io_uring request, answered by a
 * {@link java.util.concurrent.CompletableFuture} or, allocation-free on the loop thread, an
 * {@link io.ringloop.io.IoHandler}; each has a form with a timeout ({@code IORING_OP_LINK_TIMEOUT}).
 *
 * <h2>Files</h2>
 * {@snippet class="io.ringloop.io.snippets.IoSnippets" region="file"}
 *
 * <h2>Sockets</h2>
 * A server accepts with one multishot accept; a socket receives with one multishot receive into a ring of buffers
 * the loop shares among its sockets. A socket's writes reach the kernel one at a time, in call order.
 * {@snippet class="io.ringloop.io.snippets.IoSnippets" region="echo"}
 *
 * <h2>Buffers, cancelling, closing</h2>
 * The kernel never touches a buffer after its operation's future completed: a buffer stays referenced until the
 * operation's last completion, and a future reports cancelled only once the kernel has let go (see
 * {@link io.ringloop.io.AsyncChannel}). Closing a channel cancels its operations in the kernel and closes the fd after
 * the last completion; a loop that ends closes the channels left open. Errors are {@link
 * io.ringloop.io.RingIoException}s naming the operation, the errno and the path or address, such as {@code connect
 * 127.0.0.1:1: ECONNREFUSED}.
 */
package io.ringloop.io;
