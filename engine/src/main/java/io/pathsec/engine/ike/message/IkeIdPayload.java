package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Identification payload, IDi or IDr (RFC 7296 §3.5). Address identities are checked for their
 * exact length; the body is also what AUTH signs ("RestOfIDPayload", §2.15), see
 * {@link #restOfIdPayload()}.
 *
 * @param initiator true for IDi, false for IDr
 * @param idType    ID Type, raw so that unknown types still decode (and can be refused later)
 */
public record IkeIdPayload(boolean initiator, int idType, byte[] data) implements IkePayload {
    public IkeIdPayload {
        data = data.clone();
    }

    public static IkeIdPayload ofAddress(boolean initiator, InetAddress address) {
        IdType type = address instanceof Inet4Address ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR;
        return new IkeIdPayload(initiator, type.value(), address.getAddress());
    }

    public static IkeIdPayload ofFqdn(boolean initiator, String fqdn) {
        return new IkeIdPayload(initiator, IdType.ID_FQDN.value(), fqdn.getBytes(StandardCharsets.US_ASCII));
    }

    public static IkeIdPayload ofRfc822(boolean initiator, String email) {
        return new IkeIdPayload(initiator, IdType.ID_RFC822_ADDR.value(), email.getBytes(StandardCharsets.US_ASCII));
    }

    public static IkeIdPayload ofDerDn(boolean initiator, byte[] derEncodedName) {
        return new IkeIdPayload(initiator, IdType.ID_DER_ASN1_DN.value(), derEncodedName);
    }

    public static IkeIdPayload ofKeyId(boolean initiator, byte[] keyId) {
        return new IkeIdPayload(initiator, IdType.ID_KEY_ID.value(), keyId);
    }

    @Override
    public int payloadType() {
        return (initiator ? PayloadType.IDI : PayloadType.IDR).value();
    }

    static IkeIdPayload decode(boolean initiator, BodyReader body) throws InvalidSyntaxException {
        int type = body.u8();
        body.skip(3);
        byte[] data = body.rest();
        int expected = type == IdType.ID_IPV4_ADDR.value() ? 4 : type == IdType.ID_IPV6_ADDR.value() ? 16 : -1;
        if (expected >= 0 && data.length != expected) {
            throw new InvalidSyntaxException("ID: address of " + data.length + " octets for type " + type);
        }
        if (data.length == 0) {
            throw new InvalidSyntaxException("ID: empty identification data");
        }
        return new IkeIdPayload(initiator, type, data);
    }

    /** The identity in words, for logs and errors: an address, a name, or a DN in RFC 2253 form. */
    public String describe() {
        try {
            if (idType == IdType.ID_IPV4_ADDR.value() || idType == IdType.ID_IPV6_ADDR.value()) {
                return InetAddress.getByAddress(data).getHostAddress();
            }
            if (idType == IdType.ID_DER_ASN1_DN.value()) {
                return "\"" + new javax.security.auth.x500.X500Principal(data).getName(
                        javax.security.auth.x500.X500Principal.RFC2253) + "\"";
            }
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return "(malformed ID type " + idType + ")";
        }
        if (idType == IdType.ID_FQDN.value() || idType == IdType.ID_RFC822_ADDR.value()) {
            return new String(data, StandardCharsets.US_ASCII);
        }
        return "(ID type " + idType + ", " + data.length + " octets)";
    }

    /** The body after the generic header: the octets that §2.15 feeds into prf(SK_p, ...). */
    public byte[] restOfIdPayload() {
        ByteBuf buf = Unpooled.buffer(4 + data.length);
        encodeBody(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(idType);
        out.writeMedium(0);
        out.writeBytes(data);
    }
}
