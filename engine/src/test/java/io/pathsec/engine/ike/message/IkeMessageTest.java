package io.pathsec.engine.ike.message;

import io.pathsec.engine.ike.message.IkeSaPayload.Proposal;
import io.pathsec.engine.ike.message.IkeSaPayload.Transform;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IkeMessageTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final IkeHeader INIT = new IkeHeader(0x0102030405060708L, 0, 0, ExchangeType.IKE_SA_INIT,
            true, false, false, 0, 0);

    private static IkeSaPayload ikeProposal() {
        return new IkeSaPayload(List.of(new Proposal(1, ProtocolId.IKE, new byte[0], List.of(
                Transform.withKeyLength(TransformType.ENCR, EncryptionAlgorithm.ENCR_AES_GCM_16.value(), 256),
                Transform.of(TransformType.PRF, PrfAlgorithm.PRF_HMAC_SHA2_256.value()),
                Transform.of(TransformType.DH, DhGroup.CURVE25519.value()))),
                new Proposal(2, ProtocolId.IKE, new byte[0], List.of(
                        Transform.withKeyLength(TransformType.ENCR, EncryptionAlgorithm.ENCR_AES_CBC.value(), 128),
                        Transform.of(TransformType.PRF, PrfAlgorithm.PRF_HMAC_SHA2_256.value()),
                        Transform.of(TransformType.INTEG, IntegrityAlgorithm.AUTH_HMAC_SHA2_256_128.value()),
                        Transform.of(TransformType.DH, DhGroup.ECP_256.value())))));
    }

    private static List<IkePayload> everyPayload() throws Exception {
        InetAddress v4a = InetAddress.getByName("10.0.0.0");
        InetAddress v4b = InetAddress.getByName("10.0.255.255");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        return List.of(
                ikeProposal(),
                new IkeSaPayload(List.of(new Proposal(1, ProtocolId.ESP, HEX.parseHex("c0ffee01"), List.of(
                        Transform.of(TransformType.ENCR, EncryptionAlgorithm.ENCR_CHACHA20_POLY1305.value()),
                        Transform.of(TransformType.ESN, 0))))),
                new IkeKePayload(31, new byte[32]),
                new IkeNoncePayload(new byte[32]),
                IkeIdPayload.ofAddress(true, InetAddress.getByName("192.0.2.1")),
                IkeIdPayload.ofAddress(false, v6),
                IkeIdPayload.ofFqdn(true, "gw.example.org"),
                IkeIdPayload.ofRfc822(true, "alice@example.org"),
                IkeIdPayload.ofDerDn(false, HEX.parseHex("3000")),
                IkeIdPayload.ofKeyId(true, HEX.parseHex("0102")),
                IkeCertPayload.x509(HEX.parseHex("3082")),
                new IkeCertReqPayload(CertEncoding.X509_SIGNATURE.value(), new byte[40]),
                new IkeAuthPayload(AuthMethod.SHARED_KEY_MIC.value(), new byte[32]),
                IkeNotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, new byte[20]),
                IkeNotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, new byte[20]),
                IkeNotifyPayload.of(NotifyType.COOKIE, new byte[8]),
                IkeNotifyPayload.of(NotifyType.USE_TRANSPORT_MODE),
                IkeNotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
                IkeNotifyPayload.rekeySa(ProtocolId.ESP, HEX.parseHex("c0ffee01")),
                IkeNotifyPayload.signatureHashAlgorithms(List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_512)),
                IkeNotifyPayload.invalidKePayload(DhGroup.ECP_256),
                new IkeDeletePayload(ProtocolId.ESP, List.of(HEX.parseHex("00000001"), HEX.parseHex("00000002"))),
                IkeDeletePayload.ikeSa(),
                new IkeVendorIdPayload("PathSec".getBytes()),
                new IkeTsPayload(true, List.of(TrafficSelector.range(v4a, v4b),
                        new TrafficSelector(TsType.TS_IPV6_ADDR_RANGE, 6, 443, 443, v6, v6))),
                new IkeTsPayload(false, List.of(TrafficSelector.range(InetAddress.getByName("0.0.0.0"),
                        InetAddress.getByName("255.255.255.255")))),
                new IkeConfigPayload(ConfigType.CFG_REQUEST, List.of(
                        ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP4_ADDRESS),
                        ConfigAttribute.request(ConfigAttributeType.INTERNAL_IP6_ADDRESS))),
                new IkeConfigPayload(ConfigType.CFG_REPLY, List.of(
                        ConfigAttribute.address(ConfigAttributeType.INTERNAL_IP4_ADDRESS, InetAddress.getByName("10.9.0.2")),
                        ConfigAttribute.address(ConfigAttributeType.INTERNAL_IP4_NETMASK, InetAddress.getByName("255.255.255.0")),
                        ConfigAttribute.address(ConfigAttributeType.INTERNAL_IP4_DNS, InetAddress.getByName("10.9.0.1")),
                        ConfigAttribute.ip6WithPrefix(ConfigAttributeType.INTERNAL_IP6_ADDRESS, v6, 64),
                        ConfigAttribute.address(ConfigAttributeType.INTERNAL_IP6_DNS, v6),
                        ConfigAttribute.ip4Subnet(v4a, InetAddress.getByName("255.255.0.0")))),
                new IkeUnsupportedPayload(200, false, HEX.parseHex("abcd")),
                new IkeSkPayload(PayloadType.IDI.value(), new byte[40]));
    }

    @Test
    void everyPayloadRoundTrips() throws Exception {
        IkeMessage message = new IkeMessage(INIT, everyPayload());
        byte[] wire = message.toBytes();
        IkeMessage decoded = IkeMessage.decode(wire);
        assertEquals(wire.length, decoded.header().length());
        assertEquals(PayloadType.SA.value(), decoded.header().nextPayload());
        assertEquals(message.payloads().size(), decoded.payloads().size());
        for (int i = 0; i < message.payloads().size(); i++) {
            assertEquals(message.payloads().get(i).getClass(), decoded.payloads().get(i).getClass(), "payload " + i);
        }
        assertArrayEquals(wire, decoded.toBytes());
    }

    @Test
    void decodedFieldsKeepTheirValues() throws Exception {
        IkeMessage decoded = IkeMessage.decode(new IkeMessage(INIT, everyPayload()).toBytes());
        IkeSaPayload sa = decoded.first(IkeSaPayload.class).orElseThrow();
        assertEquals(256, sa.proposals().get(0).transformsOf(TransformType.ENCR).get(0).keyLength());
        assertEquals(2, sa.proposals().get(1).number());
        IkeNotifyPayload invalidKe = decoded.all(IkeNotifyPayload.class).stream()
                .filter(n -> n.type().orElseThrow() == NotifyType.INVALID_KE_PAYLOAD).findFirst().orElseThrow();
        assertEquals(19, invalidKe.acceptedDhGroup());
        IkeConfigPayload reply = decoded.all(IkeConfigPayload.class).get(1);
        assertEquals(InetAddress.getByName("10.9.0.2"), reply.attributes().get(0).address().orElseThrow());
        IkeTsPayload tsi = decoded.first(IkeTsPayload.class).orElseThrow();
        assertEquals(443, tsi.selectors().get(1).startPort());
        IkeSkPayload sk = decoded.first(IkeSkPayload.class).orElseThrow();
        assertEquals(PayloadType.IDI.value(), sk.firstInnerPayload());
    }

    /**
     * A hand-assembled IKE_SA_INIT request: header, SA (one IKE proposal: AES-GCM-16/256,
     * PRF-HMAC-SHA2-256, group 19), KE, Nonce; every octet written out from RFC 7296 §3.
     */
    @Test
    void decodesHandWrittenIkeSaInit() throws Exception {
        String sa = "22000030" + "0000002c" + "01010004"
                + "0300000c" + "0100001480 0e0100".replace(" ", "")
                + "03000008" + "02000005"
                + "03000008" + "04000013"
                + "00000008" + "0300000c";
        String ke = "28000048" + "00130000" + "00".repeat(64);
        String nonce = "00000014" + "11".repeat(16);
        int length = 28 + (sa.length() + ke.length() + nonce.length()) / 2;
        String header = "0102030405060708" + "0000000000000000" + "21" + "20" + "22" + "08" + "00000000"
                + String.format("%08x", length);
        IkeMessage m = IkeMessage.decode(HEX.parseHex(header + sa + ke + nonce));
        assertTrue(m.header().initiator());
        IkeSaPayload.Proposal p = ((IkeSaPayload) m.payloads().get(0)).proposals().get(0);
        assertEquals(4, p.transforms().size());
        assertEquals(256, p.transforms().get(0).keyLength());
        assertEquals(19, ((IkeKePayload) m.payloads().get(1)).dhGroup());
        assertEquals(16, ((IkeNoncePayload) m.payloads().get(2)).nonce().length);
        assertEquals(header + sa + ke + nonce, HEX.formatHex(m.toBytes()));
    }

    @Test
    void innerPayloadsDecodeFromTheSkNextPayload() throws Exception {
        List<IkePayload> inner = List.of(IkeIdPayload.ofFqdn(true, "a.example"), new IkeAuthPayload(2, new byte[32]));
        byte[] chain = IkeMessage.encodeChain(inner);
        List<IkePayload> decoded = IkeMessage.decodeInnerPayloads(PayloadType.IDI.value(), chain);
        assertInstanceOf(IkeIdPayload.class, decoded.get(0));
        assertInstanceOf(IkeAuthPayload.class, decoded.get(1));
    }

    @Test
    void unknownCriticalPayloadIsRejectedWithItsType() {
        byte[] wire = new IkeMessage(INIT, List.of(new IkeUnsupportedPayload(200, true, new byte[3]))).toBytes();
        UnsupportedCriticalPayloadException e = assertThrows(UnsupportedCriticalPayloadException.class,
                () -> IkeMessage.decode(wire));
        assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, e.errorType());
        assertArrayEquals(new byte[] {(byte) 200}, e.errorData());
    }

    @Test
    void wrongMajorVersion() {
        byte[] wire = new IkeMessage(INIT, List.of(new IkeNoncePayload(new byte[16]))).toBytes();
        wire[17] = 0x30;
        InvalidMajorVersionException e = assertThrows(InvalidMajorVersionException.class, () -> IkeMessage.decode(wire));
        assertEquals(3, e.majorVersion());
        assertEquals(NotifyType.INVALID_MAJOR_VERSION, e.errorType());
    }

    @Test
    void malformedMessagesGiveInvalidSyntax() throws Exception {
        byte[] wire = new IkeMessage(INIT, everyPayload()).toBytes();
        // truncated anywhere
        for (int n = 0; n < wire.length; n += 7) {
            byte[] cut = Arrays.copyOf(wire, n);
            assertThrows(InvalidSyntaxException.class, () -> IkeMessage.decode(cut), "truncated to " + n);
        }
        // garbage after a valid message
        assertThrows(InvalidSyntaxException.class, () -> IkeMessage.decode(Arrays.copyOf(wire, wire.length + 4)));
        // a payload length beyond the message
        byte[] longPayload = wire.clone();
        longPayload[28 + 2] = (byte) 0xff;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessage.decode(longPayload));
        // a payload length below the generic header
        byte[] shortPayload = wire.clone();
        shortPayload[28 + 2] = 0;
        shortPayload[28 + 3] = 3;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessage.decode(shortPayload));
        // unknown exchange type
        byte[] exchange = wire.clone();
        exchange[18] = 99;
        assertThrows(InvalidSyntaxException.class, () -> IkeMessage.decode(exchange));
    }

    @Test
    void payloadSpecificValidation() {
        assertInvalid(PayloadType.NONCE, "00".repeat(15));
        assertInvalid(PayloadType.IDI, "01000000" + "0a0000");                 // IPv4 ID of 3 octets
        assertInvalid(PayloadType.NOTIFY, "00000011" + "00");                 // INVALID_KE_PAYLOAD with 1 octet
        assertInvalid(PayloadType.NOTIFY, "00004005" + "00".repeat(19));      // NAT detection not 20 octets
        assertInvalid(PayloadType.NOTIFY, "00034006");                        // SPI size 3
        assertInvalid(PayloadType.DELETE, "03040002" + "00000001");           // count 2, one SPI
        assertInvalid(PayloadType.DELETE, "01080000");                        // IKE delete with SPI size
        assertInvalid(PayloadType.TSI, "01000000" + "07000010" + "0000ffff" + "0a000000");   // selector truncated
        assertInvalid(PayloadType.TSI, "00000000");                           // no selectors
        assertInvalid(PayloadType.CP, "02000000" + "00010003" + "0a0000");    // IP4 address of 3 octets
        assertInvalid(PayloadType.SA, "0000000c" + "01010000" + "0000");      // proposal longer than body
        assertInvalid(PayloadType.SA, "00000008" + "02010000");               // first proposal numbered 2
        assertInvalid(PayloadType.SA, "00000008" + "01030300");               // ESP with SPI size 3
        assertInvalid(PayloadType.SA, "0000000c" + "01010001" + "03000008");  // transform says more, none follow
        assertInvalid(PayloadType.SKF, "00030002" + "00");                    // fragment 3 of 2
        assertInvalid(PayloadType.KE, "00130000");                            // no key data
    }

    private static void assertInvalid(PayloadType type, String bodyHex) {
        byte[] body = HEX.parseHex(bodyHex);
        byte[] chain = new byte[4 + body.length];
        chain[2] = (byte) (chain.length >> 8);
        chain[3] = (byte) chain.length;
        System.arraycopy(body, 0, chain, 4, body.length);
        assertThrows(InvalidSyntaxException.class, () -> IkeMessage.decodeInnerPayloads(type.value(), chain),
                type + " " + bodyHex);
    }

    @Test
    void skMustBeLast() {
        assertThrows(IllegalArgumentException.class, () -> new IkeMessage(INIT,
                List.of(new IkeSkPayload(0, new byte[4]), new IkeNoncePayload(new byte[16]))));
    }

    @Test
    void skfRoundTrip() throws Exception {
        IkeMessage m = new IkeMessage(INIT, List.of(new IkeSkfPayload(PayloadType.IDI.value(), 1, 3, new byte[24])));
        IkeSkfPayload skf = IkeMessage.decode(m.toBytes()).first(IkeSkfPayload.class).orElseThrow();
        assertEquals(1, skf.fragmentNumber());
        assertEquals(3, skf.totalFragments());
        assertEquals(PayloadType.IDI.value(), skf.firstInnerPayload());
    }
}
