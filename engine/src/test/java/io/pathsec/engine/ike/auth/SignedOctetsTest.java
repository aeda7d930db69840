package io.pathsec.engine.ike.auth;

import io.pathsec.engine.ike.crypto.Prf;
import io.pathsec.engine.ike.crypto.PskAuthentication;
import io.pathsec.engine.ike.message.AuthMethod;
import io.pathsec.engine.ike.message.HashAlgorithm;
import io.pathsec.engine.ike.message.IkeIdPayload;
import io.pathsec.engine.ike.message.PrfAlgorithm;
import io.pathsec.engine.pki.KeyType;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signature AUTH covers exactly the octets of RFC 7296 §2.15, built here by hand:
 * <pre>
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
 *   MACedIDForI = prf(SK_pi, RestOfInitIDPayload)   (ID Type | RESERVED | Identification Data)
 * </pre>
 * with an ID_DER_ASN1_DN identity (type 9) taken from the certificate's subject.
 */
class SignedOctetsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theSignatureInAuthIsOverRealMessageNonceAndTheMacOfTheIdPayload() throws Exception {
        TestCredentials t = TestCredentials.of(KeyType.ECDSA_P256);
        byte[] realMessage1 = HEX.parseHex("a0a1a2a3a4a5a6a7b0b1b2b3b4b5b6b7" + "2120220800000000000000f8");
        byte[] nonceR = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] skPi = new byte[32];
        Arrays.fill(skPi, (byte) 0x5a);
        byte[] subject = t.client.certificate().getSubjectX500Principal().getEncoded();
        IkeIdPayload idi = IkeIdPayload.ofDerDn(true, subject);

        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(new byte[] {9, 0, 0, 0}); // ID_DER_ASN1_DN, RESERVED
        rest.write(subject);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(skPi, "HmacSHA256"));
        byte[] macedId = mac.doFinal(rest.toByteArray());
        ByteArrayOutputStream octets = new ByteArrayOutputStream();
        octets.write(realMessage1);
        octets.write(nonceR);
        octets.write(macedId);

        Prf prf = Prf.of(PrfAlgorithm.PRF_HMAC_SHA2_256);
        byte[] signed = PskAuthentication.signedOctets(prf, realMessage1, nonceR, skPi, idi);
        assertEquals(HEX.formatHex(octets.toByteArray()), HEX.formatHex(signed));

        Authenticator.Proof proof = t.authenticator(t.client).prove(prf, signed, new PeerAuthHints(
                Set.of(HashAlgorithm.SHA2_256), List.of(), false));
        assertEquals(AuthMethod.DIGITAL_SIGNATURE.value(), proof.auth().authMethod());
        byte[] data = proof.auth().authenticationData();
        int algIdLength = data[0] & 0xff;
        assertEquals("300a06082a8648ce3d040302", HEX.formatHex(Arrays.copyOfRange(data, 1, 1 + algIdLength)));
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(t.client.certificate().getPublicKey());
        v.update(octets.toByteArray());
        assertTrue(v.verify(Arrays.copyOfRange(data, 1 + algIdLength, data.length)),
                "the signature verifies over the hand-built octets");
    }
}
