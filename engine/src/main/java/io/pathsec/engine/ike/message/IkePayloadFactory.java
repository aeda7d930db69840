package io.pathsec.engine.ike.message;

/**
 * The one place that maps a Payload Type to its decoder (RFC 7296 §3.2 and RFC 7383 §2.5).
 * Unknown types honour the critical bit (§2.5).
 */
final class IkePayloadFactory {
    private IkePayloadFactory() {
    }

    /**
     * @param type       this payload's type, from the previous Next Payload field
     * @param nextField  this payload's own Next Payload field (for SK/SKF: the first inner payload)
     * @param critical   the C bit
     * @param body       exactly the body octets
     */
    static IkePayload decode(int type, int nextField, boolean critical, BodyReader body) throws IkeProtocolException {
        PayloadType known = PayloadType.fromValue(type).orElse(null);
        if (known == null || known == PayloadType.EAP || known == PayloadType.NO_NEXT_PAYLOAD) {
            // EAP (§3.16) is not implemented yet and is handled like any unknown payload.
            if (critical) {
                throw new UnsupportedCriticalPayloadException(type);
            }
            return new IkeUnsupportedPayload(type, false, body.rest());
        }
        return switch (known) {
            case SA -> IkeSaPayload.decode(body);
            case KE -> IkeKePayload.decode(body);
            case IDI -> IkeIdPayload.decode(true, body);
            case IDR -> IkeIdPayload.decode(false, body);
            case CERT -> IkeCertPayload.decode(body);
            case CERTREQ -> IkeCertReqPayload.decode(body);
            case AUTH -> IkeAuthPayload.decode(body);
            case NONCE -> IkeNoncePayload.decode(body);
            case NOTIFY -> IkeNotifyPayload.decode(body);
            case DELETE -> IkeDeletePayload.decode(body);
            case VENDOR_ID -> IkeVendorIdPayload.decode(body);
            case TSI -> IkeTsPayload.decode(true, body);
            case TSR -> IkeTsPayload.decode(false, body);
            case SK -> IkeSkPayload.decode(nextField, body);
            case SKF -> IkeSkfPayload.decode(nextField, body);
            case CP -> IkeConfigPayload.decode(body);
            case EAP, NO_NEXT_PAYLOAD -> throw new IllegalStateException("handled above");
        };
    }
}
