package io.pathsec.engine.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Arbitrary bytes through every decoder of this package: the only exception allowed out is
 * {@link MalformedPacketException} (and the documented IllegalArgumentException for a DF
 * datagram handed to the fragmenter). Jazzer runs {@link #decodersSurviveArbitraryBytes} in
 * regression mode during the build and fuzzes it with JAZZER_FUZZ=1; the deterministic test
 * below feeds it mutations of the captured packets so the build exercises deep paths too.
 */
class PacketFuzzTest {
    private static final byte[] GATEWAY4 = {10, 0, 0, 1};
    private static final byte[] GATEWAY6 = Packets.bytes("20010db8000000000000000000000001");

    private final FlowKey flowKey = new FlowKey();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmp6 = new Icmpv6Header();
    private final IcmpErrorBuilder icmpErrors = new IcmpErrorBuilder();
    private final TcpMssClamp mssClamp = new TcpMssClamp();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final List<ByteBuf> fragments = new ArrayList<>();
    private final ByteBuf errorOut = Unpooled.buffer(1280, 1280);

    @FuzzTest(maxDuration = "30s")
    void decodersSurviveArbitraryBytes(byte[] data) {
        ByteBuf packet = Unpooled.wrappedBuffer(data);
        flowKey.parse(packet);
        flowKey.reverse().toString();
        decode(packet);
        decode(Unpooled.wrappedBuffer(data.clone())); // again, on a copy the mutators may change
        ByteBuf copy = Unpooled.wrappedBuffer(data.clone());
        try {
            mssClamp.clamp(copy, 0, 1200);
        } catch (MalformedPacketException expected) {
            // the typed error is the contract
        }
        fragments.clear();
        try {
            fragmenter.fragment(packet, 0, 576, UnpooledByteBufAllocator.DEFAULT, fragments);
        } catch (MalformedPacketException | IllegalArgumentException expected) {
            // typed error, or DF set
        } finally {
            fragments.forEach(ByteBuf::release);
        }
        for (byte[] gateway : new byte[][]{GATEWAY4, GATEWAY6}) {
            errorOut.clear();
            try {
                icmpErrors.packetTooBig(errorOut, gateway, packet, 0, 1280);
                icmpErrors.build(errorOut.clear(), IcmpError.TIME_EXCEEDED_IN_TRANSIT, gateway, packet, 0);
            } catch (MalformedPacketException expected) {
                // typed error
            } catch (IllegalArgumentException familyMismatch) {
                // gateway of the other family: documented
            }
        }
    }

    private void decode(ByteBuf packet) {
        try {
            ipv4.wrap(packet, 0).validate();
            ipv4.validateOptions();
            decodeUpperLayer(packet, 0, ipv4.protocol(), ipv4.payloadOffset(), ipv4.payloadLength());
        } catch (MalformedPacketException expected) {
            // typed error
        }
        try {
            ipv6.wrap(packet, 0).validate();
            if (!ipv6.isNonFirstFragment()) {
                decodeUpperLayer(packet, 0, ipv6.upperLayerProtocol(), ipv6.upperLayerOffset(), ipv6.upperLayerLength());
            }
        } catch (MalformedPacketException expected) {
            // typed error
        }
        // Each upper-layer view straight on the bytes, too.
        decodeUpperLayer(packet, -1, IpProtocol.TCP, 0, packet.writerIndex());
        decodeUpperLayer(packet, -1, IpProtocol.UDP, 0, packet.writerIndex());
        decodeUpperLayer(packet, -1, IpProtocol.ICMP, 0, packet.writerIndex());
        decodeUpperLayer(packet, -1, IpProtocol.ICMPV6, 0, packet.writerIndex());
    }

    private void decodeUpperLayer(ByteBuf packet, int ipOffset, int protocol, int offset, int length) {
        try {
            switch (protocol) {
                case IpProtocol.TCP -> {
                    tcp.wrap(packet, offset).validate(length);
                    TcpOptions options = tcp.options();
                    while (options.next()) {
                        options.kind();
                    }
                    tcp.maximumSegmentSize();
                    if (ipOffset >= 0) {
                        tcp.isChecksumValid(ipOffset, length);
                    }
                }
                case IpProtocol.UDP -> {
                    udp.wrap(packet, offset).validate(length);
                    if (ipOffset >= 0) {
                        udp.isChecksumValid(ipOffset);
                    }
                }
                case IpProtocol.ICMP -> {
                    icmp.wrap(packet, offset).validate(length);
                    icmp.isChecksumValid(length);
                    if (icmp.isError()) {
                        ipv4.wrap(packet, icmp.quotedPacketOffset()).headerLength();
                    }
                }
                case IpProtocol.ICMPV6 -> {
                    icmp6.wrap(packet, offset).validate(length);
                    if (ipOffset >= 0) {
                        icmp6.isChecksumValid(ipOffset, length);
                    }
                }
                default -> { }
            }
        } catch (MalformedPacketException expected) {
            // typed error
        }
    }

    @Test
    void mutationsOfCapturedPacketsNeverEscapeTheTypedError() {
        Random random = new Random(791);
        List<byte[]> seeds = List.of(
                Packets.bytes(Packets.IPV4_TCP_SYN),
                Packets.bytes(Packets.IPV6_TCP_SYN),
                Packets.bytes(Packets.IPV6_ICMPV6_ECHO),
                Packets.toArray(Packets.ipv4Udp(700, Packets.bytes("01 94040000 44 05 0000 00 0000"), false), 0, 740),
                Packets.bytes("60000000 0020 3c40" + "00".repeat(32) + "2c00 0000 0000 0000 0600 0001 0000 0001"
                        + Packets.IPV4_TCP_SYN.substring(0, 40)));
        for (byte[] seed : seeds) {
            for (int length = 0; length <= seed.length; length++) {
                decodersSurviveArbitraryBytes(java.util.Arrays.copyOf(seed, length));
            }
            for (int trial = 0; trial < 3000; trial++) {
                byte[] mutated = seed.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    // Bias towards header bytes, where the length fields are.
                    int index = random.nextInt(Math.min(mutated.length, random.nextBoolean() ? 64 : mutated.length));
                    mutated[index] = (byte) random.nextInt(256);
                }
                decodersSurviveArbitraryBytes(mutated);
            }
        }
        for (int trial = 0; trial < 2000; trial++) {
            byte[] noise = new byte[random.nextInt(100)];
            random.nextBytes(noise);
            if (noise.length > 0) {
                noise[0] = (byte) (random.nextBoolean() ? 0x45 + random.nextInt(11) : 0x60);
            }
            decodersSurviveArbitraryBytes(noise);
        }
    }
}
