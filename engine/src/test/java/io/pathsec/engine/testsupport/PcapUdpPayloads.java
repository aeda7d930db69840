package io.pathsec.engine.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the UDP payloads of IPv4 or IPv6 packets from a classic pcap file (as tcpdump -w writes
 * it) with Ethernet (1) or Linux cooked (113) framing. Enough for tests that replay captured ESP.
 */
public final class PcapUdpPayloads {
    private PcapUdpPayloads() {
    }

    public static List<byte[]> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            in.order(ByteOrder.BIG_ENDIAN);
        }
        int linkType = in.getInt(20);
        int linkHeader = switch (linkType) {
            case 1 -> 14;
            case 113 -> 16;
            default -> throw new IOException("unsupported pcap link type " + linkType);
        };
        List<byte[]> payloads = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= in.limit()) {
            int captured = in.getInt(pos + 8);
            int frame = pos + 16;
            pos = frame + captured;
            if (pos > in.limit()) {
                break;
            }
            byte[] packet = Arrays.copyOfRange(in.array(), frame + linkHeader, frame + captured);
            byte[] udp = udpPayload(packet);
            if (udp != null) {
                payloads.add(udp);
            }
        }
        return payloads;
    }

    private static byte[] udpPayload(byte[] ip) {
        if (ip.length < 1) {
            return null;
        }
        int version = (ip[0] & 0xff) >> 4;
        int l4;
        int protocol;
        if (version == 4) {
            l4 = (ip[0] & 0x0f) * 4;
            protocol = ip[9] & 0xff;
        } else if (version == 6) {
            l4 = 40;
            protocol = ip[6] & 0xff;
        } else {
            return null;
        }
        if (protocol != 17 || ip.length < l4 + 8) {
            return null;
        }
        return Arrays.copyOfRange(ip, l4 + 8, ip.length);
    }
}
