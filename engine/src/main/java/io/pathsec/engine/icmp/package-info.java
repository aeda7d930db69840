/**
 * ICMP errors at the IPsec boundary (DESIGN.md "ICMP handling"; draft-ietf-ipsec-icmp-options-00;
 * RFC 4301 §6): which ICMP errors a gateway accepts, how one that must cross the tunnel but fits
 * no SA's selectors is carried (discard, explicit ICMP SA, implicit, relay via IKE), how the
 * receiving gateway checks one that arrives through the tunnel (RFC 4301 §6.2), and the
 * decision records the control API shows. The data path calls in through {@link
 * io.pathsec.engine.icmp.TunnelIcmp}; nothing here knows the data path's classes.
 */
package io.pathsec.engine.icmp;
