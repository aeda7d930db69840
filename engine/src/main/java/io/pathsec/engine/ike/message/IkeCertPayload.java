package io.pathsec.engine.ike.message;

import io.netty.buffer.ByteBuf;

/** Certificate payload (RFC 7296 §3.6): one certificate or CRL in the given encoding. */
public record IkeCertPayload(int encoding, byte[] certificateData) implements IkePayload {
    public IkeCertPayload {
        certificateData = certificateData.clone();
    }

    public static IkeCertPayload x509(byte[] derCertificate) {
        return new IkeCertPayload(CertEncoding.X509_SIGNATURE.value(), derCertificate);
    }

    @Override
    public int payloadType() {
        return PayloadType.CERT.value();
    }

    static IkeCertPayload decode(BodyReader body) throws InvalidSyntaxException {
        int encoding = body.u8();
        if (body.remaining() == 0) {
            throw new InvalidSyntaxException("CERT: empty certificate data");
        }
        return new IkeCertPayload(encoding, body.rest());
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(encoding);
        out.writeBytes(certificateData);
    }
}
