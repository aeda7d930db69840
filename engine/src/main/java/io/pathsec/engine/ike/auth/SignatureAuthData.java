package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.message.AuthMethod;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Authentication Data of signature AUTH payloads. Method 14 (RFC 7427 §3) is
 * <pre>
 *   | ASN.1 Length (1 octet) | AlgorithmIdentifier (DER) | Signature Value |
 * </pre>
 * The classic methods carry only the signature: RSA (1, RFC 7296 §3.8: RSASSA-PKCS1-v1_5 with
 * SHA-1) and ECDSA 9/10/11 (RFC 4754 §3: SHA-256/384/512 on P-256/384/521, r|s of fixed length
 * instead of DER). PathSec sends method 14 when the peer announced hash algorithms, and the
 * classic method of its key otherwise; it accepts all of them.
 */
public final class SignatureAuthData {
    private SignatureAuthData() {
    }

    /** Method 14's octets for a signature made with {@code scheme}. */
    public static byte[] encode(SignatureScheme scheme, byte[] signature) {
        byte[] algId = scheme.algorithmIdentifier();
        byte[] out = new byte[1 + algId.length + signature.length];
        out[0] = (byte) algId.length;
        System.arraycopy(algId, 0, out, 1, algId.length);
        System.arraycopy(signature, 0, out, 1 + algId.length, signature.length);
        return out;
    }

    /** Signs {@code octets}: method 14 with {@code scheme}, or the classic method of the key when scheme is empty. */
    static Signed sign(PrivateKey key, PublicKey pub, Optional<SignatureScheme> scheme, byte[] octets) {
        try {
            if (scheme.isPresent()) {
                Signature s = Signature.getInstance(scheme.get().jcaName());
                s.initSign(key);
                s.update(octets);
                return new Signed(AuthMethod.DIGITAL_SIGNATURE, encode(scheme.get(), s.sign()));
            }
            Classic classic = Classic.forKey(pub);
            Signature s = Signature.getInstance(classic.jcaName);
            s.initSign(key);
            s.update(octets);
            return new Signed(classic.method, s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing AUTH with a key checked at load time", e);
        }
    }

    /** An AUTH method and its data. */
    record Signed(AuthMethod method, byte[] data) {
    }

    /**
     * Verifies the peer's AUTH data over {@code octets} with its certificate's key.
     *
     * @throws AuthenticationFailure SIGNATURE_INVALID, saying whether the format, the algorithm
     *                               or the signature itself is at fault
     */
    static String verify(int method, byte[] data, PublicKey key, byte[] octets) throws AuthenticationFailure {
        Signature verifier;
        byte[] signature;
        String name;
        try {
            if (method == AuthMethod.DIGITAL_SIGNATURE.value()) {
                int length = data.length == 0 ? -1 : data[0] & 0xff;
                if (length <= 0 || 1 + length >= data.length) {
                    throw invalid("method 14 AUTH data too short for its AlgorithmIdentifier (RFC 7427 §3)");
                }
                byte[] algId = Arrays.copyOfRange(data, 1, 1 + length);
                signature = Arrays.copyOfRange(data, 1 + length, data.length);
                verifier = method14(algId, key);
                name = verifier.getAlgorithm();
            } else {
                Classic classic = Classic.forMethod(method, key);
                verifier = Signature.getInstance(classic.jcaName);
                signature = data;
                name = classic.method.name();
            }
            verifier.initVerify(key);
            verifier.update(octets);
            if (!verifier.verify(signature)) {
                throw invalid("the AUTH signature (" + name + ") does not verify with the certificate's key");
            }
            return name;
        } catch (java.security.SignatureException e) {
            throw invalid("the AUTH signature is malformed: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw invalid("the AUTH signature cannot be checked: " + e.getMessage());
        }
    }

    /** A JCA Signature for a method-14 AlgorithmIdentifier, refusing ones that do not fit the key. */
    private static Signature method14(byte[] algId, PublicKey key) throws AuthenticationFailure,
            GeneralSecurityException {
        Optional<SignatureScheme> known = SignatureScheme.fromAlgorithmIdentifier(algId);
        if (known.isPresent()) {
            if (known.get().isEcdsa() != (key instanceof ECPublicKey)) {
                throw invalid(known.get() + " does not fit the certificate's " + key.getAlgorithm() + " key");
            }
            return Signature.getInstance(known.get().jcaName());
        }
        AlgorithmIdentifier parsed;
        try {
            parsed = AlgorithmIdentifier.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(algId));
        } catch (IOException | RuntimeException e) {
            throw invalid("the AlgorithmIdentifier is not DER (RFC 7427 §3)");
        }
        ASN1ObjectIdentifier oid = parsed.getAlgorithm();
        // sha256WithRSAEncryption and friends with absent instead of NULL parameters (RFC 4055 §5 allows both).
        ASN1Encodable params = parsed.getParameters();
        if (params == null || params instanceof DERNull) {
            for (SignatureScheme s : SignatureScheme.values()) {
                AlgorithmIdentifier ours = AlgorithmIdentifier.getInstance(s.algorithmIdentifier());
                if (ours.getAlgorithm().equals(oid) && s.isEcdsa() == (key instanceof ECPublicKey)) {
                    return Signature.getInstance(s.jcaName());
                }
            }
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS) && key instanceof RSAPublicKey && params != null) {
            Signature pss = Signature.getInstance("RSASSA-PSS");
            try {
                AlgorithmParameters ap = AlgorithmParameters.getInstance("RSASSA-PSS");
                ap.init(params.toASN1Primitive().getEncoded());
                PSSParameterSpec spec = ap.getParameterSpec(PSSParameterSpec.class);
                if (spec.getDigestAlgorithm().replace("-", "").equalsIgnoreCase("SHA1")
                        || (spec.getMGFParameters() instanceof MGF1ParameterSpec mgf
                        && mgf.getDigestAlgorithm().replace("-", "").equalsIgnoreCase("SHA1"))) {
                    throw invalid("RSASSA-PSS with SHA-1 is refused (RFC 8247 §3.2)");
                }
                pss.setParameter(spec);
            } catch (IOException e) {
                throw invalid("RSASSA-PSS parameters are not DER");
            }
            return pss;
        }
        throw invalid("unsupported signature algorithm " + oid + " (PathSec accepts RSA PKCS#1 v1.5 and"
                + " RSASSA-PSS with SHA-2, and ECDSA with SHA-2)");
    }

    /** The pre-RFC 7427 methods and the JCA algorithms they mean. */
    private enum Classic {
        RSA(AuthMethod.RSA_DIGITAL_SIGNATURE, "SHA1withRSA", 0),
        ECDSA_P256(AuthMethod.ECDSA_SHA256_P256, "SHA256withECDSAinP1363Format", 256),
        ECDSA_P384(AuthMethod.ECDSA_SHA384_P384, "SHA384withECDSAinP1363Format", 384),
        ECDSA_P521(AuthMethod.ECDSA_SHA512_P521, "SHA512withECDSAinP1363Format", 521);

        final AuthMethod method;
        final String jcaName;
        final int curveBits;

        Classic(AuthMethod method, String jcaName, int curveBits) {
            this.method = method;
            this.jcaName = jcaName;
            this.curveBits = curveBits;
        }

        static Classic forKey(PublicKey key) {
            if (key instanceof ECPublicKey ec) {
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                for (Classic c : values()) {
                    if (c.curveBits == bits) {
                        return c;
                    }
                }
                throw new IllegalStateException("no RFC 4754 method for a " + bits + "-bit curve");
            }
            return RSA;
        }

        static Classic forMethod(int method, PublicKey key) throws AuthenticationFailure {
            for (Classic c : values()) {
                if (c.method.value() == method) {
                    Classic fitting;
                    try {
                        fitting = forKey(key);
                    } catch (IllegalStateException e) {
                        fitting = null;
                    }
                    if (c != fitting) {
                        throw invalid("AUTH method " + c.method + " does not fit the certificate's "
                                + key.getAlgorithm() + " key");
                    }
                    return c;
                }
            }
            throw invalid("AUTH method " + method + " is not a signature method PathSec accepts (1, 9, 10, 11, 14)");
        }
    }

    private static AuthenticationFailure invalid(String detail) {
        return new AuthenticationFailure(AuthenticationFailure.Kind.SIGNATURE_INVALID, detail);
    }
}
