/**
 * The kernel interface of ringloop, on the Foreign Function and Memory API: syscalls with their errno, the structs
 * of {@code <linux/io_uring.h>} as layouts, and the ring's shared memory with the memory order of every access.
 * Internal to ringloop: the loop and I/O modules build on it, and its types may change between any two releases;
 * applications use {@code io.ringloop} and {@code io.ringloop.io}.
 */
package io.ringloop.binding;
