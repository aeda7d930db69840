package io.pathsec.engine.pmtu;

import java.util.function.IntConsumer;

/**
 * A DPLPMTUD probe of an SA that is on its way: what a Packet Too Big about it must quote, its
 * outer size, and whom to tell when a validated one arrives (RFC 8899 §4.6.2: a PTB for a probe
 * concludes that probe at once, with the size it reports). {@link PmtuState} holds the one probe
 * in flight, so that {@link IcmpPmtuValidator} finds it from the ICMP thread.
 *
 * @param tooBig takes the reported MTU; may be called from any thread
 */
public record InFlightProbe(ProbeQuote quote, int size, IntConsumer tooBig) {
}
