package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.message.AuthMethod;
import io.pathsec.engine.ike.message.HashAlgorithm;
import io.pathsec.engine.pki.IssuedCertificate;
import io.pathsec.engine.pki.KeyType;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AUTH data of the signature methods: RFC 7427 §3 and Appendix A, RFC 4754 §3, RFC 7296 §3.8. */
class SignatureAuthDataTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] OCTETS = "RealMessage1 | NonceRData | prf(SK_pi, IDi')".getBytes(StandardCharsets.US_ASCII);

    @Test
    void algorithmIdentifiersAreThoseOfRfc7427AppendixA() {
        // A.1.2-A.1.4 (PKCS#1 v1.5 with NULL parameters) and A.3.2-A.3.4 (ECDSA, no parameters).
        assertEquals("300d06092a864886f70d01010b0500", HEX.formatHex(SignatureScheme.RSA_PKCS1_SHA256.algorithmIdentifier()));
        assertEquals("300d06092a864886f70d01010c0500", HEX.formatHex(SignatureScheme.RSA_PKCS1_SHA384.algorithmIdentifier()));
        assertEquals("300d06092a864886f70d01010d0500", HEX.formatHex(SignatureScheme.RSA_PKCS1_SHA512.algorithmIdentifier()));
        assertEquals("300a06082a8648ce3d040302", HEX.formatHex(SignatureScheme.ECDSA_SHA256.algorithmIdentifier()));
        assertEquals("300a06082a8648ce3d040303", HEX.formatHex(SignatureScheme.ECDSA_SHA384.algorithmIdentifier()));
        assertEquals("300a06082a8648ce3d040304", HEX.formatHex(SignatureScheme.ECDSA_SHA512.algorithmIdentifier()));
        // The same octets as BouncyCastle's DER of the OIDs, so the table has no typo.
        assertArrayEquals(der(new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE)),
                SignatureScheme.RSA_PKCS1_SHA256.algorithmIdentifier());
        assertArrayEquals(der(new AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA384)),
                SignatureScheme.ECDSA_SHA384.algorithmIdentifier());
    }

    @Test
    void method14DataIsLengthThenAlgorithmIdentifierThenSignature() {
        byte[] sig = {1, 2, 3, 4};
        byte[] data = SignatureAuthData.encode(SignatureScheme.ECDSA_SHA256, sig);
        assertEquals("0c" + "300a06082a8648ce3d040302" + "01020304", HEX.formatHex(data));
    }

    @Test
    void method14RoundTripsForEveryKeyTypeAndIsRefusedWhenAnyOctetChanges() throws Exception {
        for (KeyType type : KeyType.values()) {
            IssuedCertificate c = TestCredentials.of(type).client;
            Optional<SignatureScheme> scheme = SignatureScheme.choose(c.certificate().getPublicKey(),
                    Set.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512));
            SignatureAuthData.Signed signed = SignatureAuthData.sign(c.key(), c.certificate().getPublicKey(), scheme,
                    OCTETS);
            assertEquals(AuthMethod.DIGITAL_SIGNATURE, signed.method());
            assertEquals(type == KeyType.ECDSA_P384 ? SignatureScheme.ECDSA_SHA384
                    : type == KeyType.ECDSA_P256 ? SignatureScheme.ECDSA_SHA256 : SignatureScheme.RSA_PKCS1_SHA256,
                    scheme.orElseThrow(), "hash sized to the key");
            // Independently: the signature after the AlgorithmIdentifier verifies over the octets.
            int len = signed.data()[0] & 0xff;
            Signature v = Signature.getInstance(scheme.get().jcaName());
            v.initVerify(c.certificate().getPublicKey());
            v.update(OCTETS);
            assertTrue(v.verify(Arrays.copyOfRange(signed.data(), 1 + len, signed.data().length)));

            SignatureAuthData.verify(signed.method().value(), signed.data(), c.certificate().getPublicKey(), OCTETS);
            byte[] other = OCTETS.clone();
            other[other.length - 1] ^= 1;
            assertInvalid(() -> SignatureAuthData.verify(14, signed.data(), c.certificate().getPublicKey(), other),
                    "does not verify");
            byte[] tampered = signed.data().clone();
            tampered[tampered.length - 3] ^= 0x40;
            assertInvalid(() -> SignatureAuthData.verify(14, tampered, c.certificate().getPublicKey(), OCTETS), "");
        }
    }

    @Test
    void classicMethodsAreSentWithoutPeerHashesAndAccepted() throws Exception {
        for (KeyType type : KeyType.values()) {
            IssuedCertificate c = TestCredentials.of(type).client;
            SignatureAuthData.Signed signed = SignatureAuthData.sign(c.key(), c.certificate().getPublicKey(),
                    Optional.empty(), OCTETS);
            AuthMethod expected = switch (type) {
                case ECDSA_P256 -> AuthMethod.ECDSA_SHA256_P256;
                case ECDSA_P384 -> AuthMethod.ECDSA_SHA384_P384;
                case RSA_3072 -> AuthMethod.RSA_DIGITAL_SIGNATURE;
            };
            assertEquals(expected, signed.method());
            if (type != KeyType.RSA_3072) {
                // RFC 4754 §7: r and s as fixed-length octet strings, not DER.
                assertEquals(type == KeyType.ECDSA_P256 ? 64 : 96, signed.data().length);
            }
            SignatureAuthData.verify(signed.method().value(), signed.data(), c.certificate().getPublicKey(), OCTETS);
        }
    }

    @Test
    void rsassaPssFromAPeerIsAccepted() throws Exception {
        IssuedCertificate c = TestCredentials.of(KeyType.RSA_3072).gateway;
        PSSParameterSpec spec = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(spec);
        s.initSign(c.key());
        s.update(OCTETS);
        byte[] sig = s.sign();
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
        byte[] algId = der(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(sha256,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256), new ASN1Integer(32), new ASN1Integer(1))));
        byte[] data = new byte[1 + algId.length + sig.length];
        data[0] = (byte) algId.length;
        System.arraycopy(algId, 0, data, 1, algId.length);
        System.arraycopy(sig, 0, data, 1 + algId.length, sig.length);
        assertEquals("RSASSA-PSS", SignatureAuthData.verify(14, data, c.certificate().getPublicKey(), OCTETS));
    }

    @Test
    void malformedOrMismatchedDataIsASignatureFailureNotACrash() {
        IssuedCertificate ec = TestCredentials.of(KeyType.ECDSA_P256).client;
        IssuedCertificate rsa = TestCredentials.of(KeyType.RSA_3072).client;
        assertInvalid(() -> SignatureAuthData.verify(14, new byte[] {(byte) 200, 1, 2}, ec.certificate().getPublicKey(),
                OCTETS), "too short");
        assertInvalid(() -> SignatureAuthData.verify(14, new byte[0], ec.certificate().getPublicKey(), OCTETS),
                "too short");
        byte[] rsaSigned = SignatureAuthData.sign(rsa.key(), rsa.certificate().getPublicKey(),
                Optional.of(SignatureScheme.RSA_PKCS1_SHA256), OCTETS).data();
        assertInvalid(() -> SignatureAuthData.verify(14, rsaSigned, ec.certificate().getPublicKey(), OCTETS),
                "does not fit");
        assertInvalid(() -> SignatureAuthData.verify(9, new byte[64], rsa.certificate().getPublicKey(), OCTETS),
                "does not fit");
        assertInvalid(() -> SignatureAuthData.verify(2, new byte[32], ec.certificate().getPublicKey(), OCTETS),
                "not a signature method");
        byte[] sha1 = SignatureAuthData.encode(SignatureScheme.RSA_PKCS1_SHA256, new byte[384]);
        sha1[1 + 12] = 0x05; // sha1WithRSAEncryption: refused in method 14 (RFC 8247)
        assertInvalid(() -> SignatureAuthData.verify(14, sha1, rsa.certificate().getPublicKey(), OCTETS),
                "unsupported signature algorithm");
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable e, String words) {
        AuthenticationFailure f = assertThrows(AuthenticationFailure.class, e);
        assertEquals(AuthenticationFailure.Kind.SIGNATURE_INVALID, f.kind());
        assertTrue(f.getMessage().startsWith("signature invalid: ") && f.getMessage().contains(words), f.getMessage());
    }

    private static byte[] der(AlgorithmIdentifier a) {
        try {
            return a.getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
