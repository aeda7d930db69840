package io.pathsec.engine.packet;

/**
 * A packet (or one of its headers) that cannot be parsed safely. Every validator in this package
 * throws it instead of letting a getter run past the data; {@link #reason()} says which rule was
 * broken so that the data path can count drops per cause.
 *
 * <p>No stack trace is captured: malformed packets come from the network, possibly in floods, and
 * the message already says what is wrong.
 */
public final class MalformedPacketException extends Exception {

    /** Which rule the packet broke. */
    public enum Reason {
        /** Fewer bytes than a header or a length field announces. */
        TRUNCATED,
        /** The IP version nibble is not the expected one. */
        BAD_VERSION,
        /** A header length field (IHL, TCP data offset, extension header length) is impossible. */
        BAD_HEADER_LENGTH,
        /** A total/payload/datagram length field contradicts the header or the buffer. */
        BAD_LENGTH,
        /** An IPv4 or TCP option whose length runs outside the options area. */
        BAD_OPTION,
        /** More IPv6 extension headers than this implementation walks. */
        TOO_MANY_EXTENSION_HEADERS,
        /** Well-formed on the wire but not supported here (e.g. IPv6 jumbograms). */
        UNSUPPORTED,
        /** An ICMP error message whose quoted packet is not a parsable IP header. */
        BAD_QUOTED_PACKET
    }

    private final Reason reason;

    public MalformedPacketException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return reason + ": " + super.getMessage();
    }
}
