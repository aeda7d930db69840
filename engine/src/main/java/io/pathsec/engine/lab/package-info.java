/**
 * The PathSec lab: E1 — G1 — R1 — R2 — G2 — E2 as Linux network namespaces joined by veth links,
 * with a path segment R1—R2 whose MTU, ICMP black hole, fragment filtering, MSS clamping, loss and
 * delay can be set at creation and changed live.
 *
 * <p>{@link io.pathsec.engine.lab.LabTopology} is the whole public surface, with
 * {@link io.pathsec.engine.lab.LabOptions}, {@link io.pathsec.engine.lab.LabNode} and
 * {@link io.pathsec.engine.lab.ProcessResult}. Integration tests and the {@code pathsec lab}
 * command use the same code. Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN for {@code ip netns}).
 *
 * <p>Only documentation address ranges are used (RFC 5737, RFC 3849); 10.0.0.0/8 is left for the
 * inside of tunnels.
 */
package io.pathsec.engine.lab;
