/**
 * The Security Policy Database and Security Association Database of RFC 4301 §4.4.
 *
 * <ul>
 *   <li>{@link io.pathsec.engine.policy.Selector} — what traffic an SPD entry or an SA covers
 *       (§4.4.1.1), built from {@link io.pathsec.engine.policy.AddressRange},
 *       {@link io.pathsec.engine.policy.PortRange} and {@link io.pathsec.engine.policy.IcmpRange}.</li>
 *   <li>{@link io.pathsec.engine.policy.Spd} — ordered {@link io.pathsec.engine.policy.SpdEntry}s,
 *       first match wins, default DISCARD, with a per-flow cache that allocates nothing.</li>
 *   <li>{@link io.pathsec.engine.policy.SecurityAssociation} and
 *       {@link io.pathsec.engine.policy.Sad} — SA state (§4.4.2.1) without crypto objects.</li>
 * </ul>
 */
package io.pathsec.engine.policy;
