package io.pathsec.engine.testsupport;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * An attacker on the path, run in a router's namespace: sends the UDP payloads of a capture to
 * a gateway again, unchanged ("replay") or with the sequence number moved ahead and one
 * ciphertext byte flipped ("tamper"), so that the replay window cannot catch them and only the
 * ICV can.
 *
 * <pre>UdpReplay PCAP ADDRESS PORT replay|tamper</pre>
 * Prints the number of datagrams sent.
 */
public final class UdpReplay {
    private UdpReplay() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> payloads = PcapUdpPayloads.read(Path.of(args[0]));
        InetAddress to = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        boolean tamper = args[3].equals("tamper");
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            for (byte[] p : payloads) {
                if (p.length < 24 || isIke(p)) {
                    continue;
                }
                byte[] copy = p.clone();
                if (tamper) {
                    ByteBuffer b = ByteBuffer.wrap(copy);
                    b.putInt(4, b.getInt(4) + 1_000_000);
                    copy[copy.length - 20] ^= 0x01;
                }
                socket.send(new DatagramPacket(copy, copy.length, to, port));
                sent++;
            }
        }
        System.out.println("sent " + sent);
    }

    private static boolean isIke(byte[] p) {
        return p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0;
    }
}
