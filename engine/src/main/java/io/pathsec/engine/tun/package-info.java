/**
 * The TUN device seam: {@link io.pathsec.engine.tun.TunDevice}, its Linux implementation
 * {@link io.pathsec.engine.tun.LinuxTun} (jnr-ffi, Documentation/networking/tuntap.rst), the
 * in-memory double {@link io.pathsec.engine.tun.ChannelTun} for tests, and the little Linux
 * plumbing around them: link configuration by ioctl ({@link io.pathsec.engine.tun.LinuxInterfaceConfig}),
 * threads inside a network namespace ({@link io.pathsec.engine.tun.NetnsThread}) and SO_MARK
 * for the outer sockets ({@link io.pathsec.engine.tun.SocketMark}).
 *
 * <p>What the data path must still do itself: drop what the kernel sends into the device that
 * is not user traffic. {@code LinuxTun.open} switches off router solicitations and RA, but MLD
 * reports and other link-local IPv6 (fe80::/10, ff02::/16) can still come out of the device and
 * must never be sent into a tunnel. Routes are the caller's ({@code ip route}) until an
 * rtnetlink implementation replaces the ioctls.
 */
package io.pathsec.engine.tun;
