/**
 * ESP (RFC 4303) as a codec that knows nothing of I/O: {@link io.pathsec.engine.esp.EspCodec}
 * builds and opens ESP packets in place in a Netty {@code ByteBuf}, {@link
 * io.pathsec.engine.esp.ReplayWindow} does the anti-replay check of RFC 4303 §3.4.3 with the
 * bitmap of RFC 6479, and {@link io.pathsec.engine.esp.UdpEncapsulation} tells ESP, IKE and
 * NAT keepalives apart on UDP port 4500 (RFC 3948).
 *
 * <p>Inbound order on the data path: {@code UdpEncapsulation.isEsp} → SAD lookup by {@link
 * io.pathsec.engine.esp.EspCodec#spi} → {@link io.pathsec.engine.esp.ReplayWindow#check} →
 * {@link io.pathsec.engine.esp.EspCodec#decrypt} → {@link
 * io.pathsec.engine.esp.ReplayWindow#accept} → drop next header 59 (dummy packets).
 */
package io.pathsec.engine.esp;
