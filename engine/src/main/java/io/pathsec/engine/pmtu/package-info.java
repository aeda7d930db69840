/**
 * Path MTU per SA (DESIGN.md "Path MTU"; RFC 4301 §8, RFC 8899, RFC 1191/8201).
 *
 * <ul>
 *   <li>{@link io.pathsec.engine.pmtu.PmtuState}: one outbound SA's PLPMTU, effective inner MTU
 *       ({@link io.pathsec.engine.pmtu.EffectiveMtu}), per-source last observation, bounded
 *       history, black-hole events, floor, fixed override and raise timer, on an injected clock.
 *       Sources report through {@code reportTooBig} (lower), {@code confirm} (raise: where the
 *       DPLPMTUD prober and the TCP-MSS method plug in), {@code blackHole}, and {@code tick}.</li>
 *   <li>Classic PMTUD: {@link io.pathsec.engine.pmtu.OuterIcmpReceiver} (raw ICMP/ICMPv6
 *       sockets, one thread) → {@link io.pathsec.engine.pmtu.ClassicPmtud} →
 *       {@link io.pathsec.engine.pmtu.IcmpPmtuValidator} (our address and port, a live SPI, a
 *       recent sequence number, a plausible MTU above the floor); rejections are counted by
 *       {@link io.pathsec.engine.pmtu.IcmpRejection}. {@link io.pathsec.engine.pmtu.OuterSocketPmtuMode}
 *       puts the outer UDP socket in IP_PMTUDISC_PROBE so that the engine alone sizes packets.</li>
 *   <li>Inner side, on the outbound reader thread: {@link io.pathsec.engine.pmtu.InnerMtuEnforcer}
 *       (ICMP to the source / fragment / MSS clamp, RFC 4301 §8.2.1, with
 *       {@link io.pathsec.engine.pmtu.InnerIcmpSource} choosing the error's source address) and
 *       {@link io.pathsec.engine.pmtu.BlackHoleDetector}.</li>
 *   <li>{@link io.pathsec.engine.pmtu.PmtuStatus}: what the status file and control API show.</li>
 * </ul>
 * Settings: {@link io.pathsec.engine.pmtu.PmtuSettings}, from {@code pathsec.pmtu.*} properties
 * until profiles carry them.
 */
package io.pathsec.engine.pmtu;
