package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Certificate Request payload (RFC 7296 §3.7). For X.509 the authority is a concatenation of
 * 20-octet SHA-1 hashes of trusted CAs' public keys; {@link #caKeyHashes()} splits it.
 */
public record IkeCertReqPayload(int encoding, byte[] certificationAuthority) implements IkePayload {
    private static final int SHA1_LENGTH = 20;

    public IkeCertReqPayload {
        certificationAuthority = certificationAuthority.clone();
    }

    @Override
    public int payloadType() {
        return PayloadType.CERTREQ.value();
    }

    static IkeCertReqPayload decode(BodyReader body) throws InvalidSyntaxException {
        int encoding = body.u8();
        byte[] authority = body.rest();
        if (encoding == CertEncoding.X509_SIGNATURE.value() && authority.length % SHA1_LENGTH != 0) {
            throw new InvalidSyntaxException("CERTREQ: X.509 authority of " + authority.length + " octets");
        }
        return new IkeCertReqPayload(encoding, authority);
    }

    public List<byte[]> caKeyHashes() {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i + SHA1_LENGTH <= certificationAuthority.length; i += SHA1_LENGTH) {
            byte[] h = new byte[SHA1_LENGTH];
            System.arraycopy(certificationAuthority, i, h, 0, SHA1_LENGTH);
            hashes.add(h);
        }
        return hashes;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(encoding);
        out.writeBytes(certificationAuthority);
    }
}
