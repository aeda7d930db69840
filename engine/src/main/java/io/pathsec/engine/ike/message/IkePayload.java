package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/**
 * One payload of an IKE message. The generic payload header (RFC 7296 §3.2: next payload,
 * critical bit, length) is written by the chain encoder in {@link IkeMessage}; a payload
 * knows only its type and its body.
 */
public sealed interface IkePayload
        permits IkeSaPayload, IkeKePayload, IkeIdPayload, IkeCertPayload, IkeCertReqPayload, IkeAuthPayload,
        IkeNoncePayload, IkeNotifyPayload, IkeDeletePayload, IkeVendorIdPayload, IkeTsPayload, IkeSkPayload,
        IkeSkfPayload, IkeConfigPayload, IkeUnsupportedPayload {
    /** Length of the generic payload header (§3.2). */
    int GENERIC_HEADER_LENGTH = 4;

    /** The Payload Type value of this payload. */
    int payloadType();

    /** Critical bit to send; §2.5 says it is set only for payloads the peer must understand. */
    default boolean critical() {
        return false;
    }

    /**
     * The Next Payload value to put in this payload's own header. For every payload but SK and
     * SKF this is the type of the following payload; those two carry the first inner payload
     * instead (§3.14, RFC 7383 §2.5).
     */
    default int nextPayloadField(int followingType) {
        return followingType;
    }

    /** Writes the payload body, the part after the generic header. */
    void encodeBody(ByteBuf out);
}
