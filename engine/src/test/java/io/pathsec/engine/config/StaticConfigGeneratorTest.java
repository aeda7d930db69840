package io.pathsec.engine.config;

import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PolicyAction;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.policy.SpdEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticConfigGeneratorTest {
    @TempDir
    Path dir;

    static final StaticConfigGenerator.Host G1 = new StaticConfigGenerator.Host("g1",
            new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 4500),
            List.of(IpPrefix.parse("10.0.0.1/32")),
            List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("2001:db8:a::/64")));
    static final StaticConfigGenerator.Host G2 = new StaticConfigGenerator.Host("g2",
            new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 4500),
            List.of(IpPrefix.parse("10.0.0.2/32")),
            List.of(IpPrefix.parse("203.0.113.0/24"), IpPrefix.parse("2001:db8:b::/64")));

    private StaticConfig roundTrip(StaticConfig config) throws Exception {
        Path file = ConfigFiles.write(dir, config.name() + ".json", StaticConfigGenerator.toJson(config),
                "rw-------");
        LoadedConfig loaded = StaticConfigLoader.load(file);
        assertEquals(List.of(), loaded.warnings());
        return loaded.config();
    }

    @Test
    void tunnelPairRoundTripsThroughTheLoader() throws Exception {
        var pair = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(1));
        assertEquals(pair.first(), roundTrip(pair.first()));
        assertEquals(pair.second(), roundTrip(pair.second()));
    }

    @Test
    void transportPairRoundTripsThroughTheLoader() throws Exception {
        var pair = StaticConfigGenerator.pair(G1, G2, IpsecMode.TRANSPORT, "chacha20poly1305",
                new SplittableRandom(2));
        assertEquals(pair.first(), roundTrip(pair.first()));
        assertEquals(pair.second(), roundTrip(pair.second()));
        assertEquals("198.51.100.1", pair.first().policies().get(0).selector().local().toString());
        // Transport mode leads traffic to the peer host into the TUN with a host route.
        assertEquals(List.of(IpPrefix.parse("198.51.100.130/32")), pair.first().tun().routes());
        assertEquals(List.of(IpPrefix.parse("198.51.100.1/32")), pair.second().tun().routes());
    }

    @Test
    void theHalvesMirrorEachOther() {
        var pair = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes128gcm16", new SplittableRandom(3));
        StaticConfig a = pair.first();
        StaticConfig b = pair.second();
        assertEquals(a.listen(), b.peer());
        assertEquals(a.peer(), b.listen());
        StaticConfig.StaticSa aOut = a.outboundSa();
        StaticConfig.StaticSa bOut = b.outboundSa();
        StaticConfig.StaticSa aIn = inbound(a);
        StaticConfig.StaticSa bIn = inbound(b);
        assertEquals(aOut.spi(), bIn.spi());
        assertArrayEquals(aOut.key(), bIn.key());
        assertEquals(bOut.spi(), aIn.spi());
        assertArrayEquals(bOut.key(), aIn.key());
        assertNotEquals(aOut.spi(), aIn.spi());
        assertFalse(java.util.Arrays.equals(aOut.key(), aIn.key()), "each direction has its own key");
        assertEquals(20, aOut.key().length);
        assertTrue(Integer.compareUnsigned(aOut.spi(), 256) >= 0);
        assertEquals(2, a.policies().size(), "v4 with v4 and v6 with v6 only");
        for (int i = 0; i < a.policies().size(); i++) {
            assertEquals(a.policies().get(i).selector().mirror(), b.policies().get(i).selector());
        }
        assertEquals(G2.protectedNetworks(), a.tun().routes());
        assertEquals(G1.protectedNetworks(), b.tun().routes());
    }

    private static StaticConfig.StaticSa inbound(StaticConfig c) {
        return c.sas().stream().filter(s -> s.direction() == Direction.INBOUND).findFirst().orElseThrow();
    }

    @Test
    void keysDifferBetweenRuns() {
        var one = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(4));
        var two = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(5));
        assertFalse(java.util.Arrays.equals(one.first().outboundSa().key(), two.first().outboundSa().key()));
        assertThrows(IllegalArgumentException.class,
                () -> StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "des", new SplittableRandom(6)));
    }

    @Test
    void aPacketFromE1ReachesE2ThroughBothDatabases() {
        var pair = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(7));
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Spd spd1 = new Spd();
        spd1.replaceAll(pair.first().spdEntries());
        Sad sad1 = new Sad();
        pair.first().securityAssociations(clock).forEach(sad1::add);
        Sad sad2 = new Sad();
        pair.second().securityAssociations(clock).forEach(sad2::add);

        byte[] e1 = AddressRange.parseAddress("192.0.2.10").getAddress();
        byte[] e2 = AddressRange.parseAddress("203.0.113.20").getAddress();
        FlowKey packet = new FlowKey().set(4, e1, e2, FlowKey.PROTO_TCP, 40000, 443, -1, -1);

        SpdEntry entry = spd1.lookupOutbound(packet);
        assertEquals(PolicyAction.PROTECT, entry.action());
        SecurityAssociation out = sad1.outbound(entry.saBinding());
        assertTrue(out.allowsOutbound(packet));
        SecurityAssociation in = sad2.inbound(out.spi());
        assertArrayEquals(out.keyMaterial(), in.keyMaterial());
        assertTrue(in.allowsInbound(packet), "G2 accepts the decrypted packet (RFC 4301 §5.2)");
        assertEquals(1024, in.replayWindow());
        assertEquals(clock.instant(), in.created());

        byte[] spoofed = AddressRange.parseAddress("198.51.100.250").getAddress();
        assertFalse(in.allowsInbound(new FlowKey().set(4, spoofed, e2, FlowKey.PROTO_TCP, 1, 443, -1, -1)));
        assertSame(Spd.DEFAULT_DISCARD, spd1.lookupOutbound(
                new FlowKey().set(4, e1, spoofed, FlowKey.PROTO_TCP, 1, 443, -1, -1)));
    }

    @Test
    void writeCreatesAPrivateFile() throws Exception {
        var pair = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(9));
        Path file = dir.resolve("g1.json");
        StaticConfigGenerator.write(file, pair.first());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)));
        LoadedConfig loaded = StaticConfigLoader.load(file);
        assertEquals(List.of(), loaded.warnings());
        assertEquals(pair.first(), loaded.config());
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> StaticConfigGenerator.write(file, pair.first()));
    }

    @Test
    void jsonHasTheDocumentedShape() {
        var pair = StaticConfigGenerator.pair(G1, G2, IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(8));
        String json = StaticConfigGenerator.toJson(pair.first());
        assertTrue(json.contains("\"mode\": \"tunnel\""), json);
        assertTrue(json.contains("\"direction\": \"out\""), json);
        assertTrue(json.contains("\"spi\": \"0x"), json);
        assertTrue(json.contains("\"remote\": \"2001:db8:b::/64\""), json);
    }
}
