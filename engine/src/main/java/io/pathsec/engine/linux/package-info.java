/**
 * The engine's one binding of the C library ({@link io.pathsec.engine.linux.LinuxLibC}, jnr-ffi):
 * every system call the TUN device, interface configuration, namespaces, socket marks, raw ICMP
 * sockets and the TCP-MSS method make goes through it, with errno turned into IOExceptions.
 */
package io.pathsec.engine.linux;
