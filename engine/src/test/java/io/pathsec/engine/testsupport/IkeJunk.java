package io.pathsec.engine.testsupport;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An attacker on the path, run in a router's namespace: sends malformed IKE to UDP 500 and to
 * UDP 4500 (behind the non-ESP marker) of a host — noise, truncated headers, headers whose
 * length lies, oversized datagrams, unknown SPIs, IKE_SA_INIT requests with garbage payloads,
 * a valid-looking header with garbage after it — and ESP-looking junk on 4500.
 *
 * <pre>IkeJunk ADDRESS SEED</pre>
 * Prints the number of datagrams sent.
 */
public final class IkeJunk {
    private IkeJunk() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress to = InetAddress.getByName(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        List<byte[]> ike = messages(random);
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            for (byte[] m : ike) {
                socket.send(new DatagramPacket(m, m.length, to, 500));
                byte[] marked = ByteBuffer.allocate(4 + m.length).putInt(0).put(m).array();
                socket.send(new DatagramPacket(marked, marked.length, to, 4500));
                sent += 2;
            }
            for (int i = 0; i < 200; i++) { // ESP with made-up SPIs and sequence numbers
                byte[] esp = new byte[8 + random.nextInt(1400)];
                random.nextBytes(esp);
                esp[0] |= 1; // never the non-ESP marker
                socket.send(new DatagramPacket(esp, esp.length, to, 4500));
                sent++;
            }
            byte[] keepaliveLookalike = {(byte) 0xff, 0};
            socket.send(new DatagramPacket(keepaliveLookalike, 2, to, 4500));
            sent++;
        }
        System.out.println("sent " + sent);
    }

    private static List<byte[]> messages(Random random) {
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[0]);
        out.add(new byte[] {1});
        for (int i = 0; i < 100; i++) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            out.add(noise);
        }
        for (int exchange : new int[] {34, 35, 36, 37, 99}) { // IKE_SA_INIT .. INFORMATIONAL, and unknown
            for (int i = 0; i < 20; i++) {
                out.add(header(random, random.nextLong(), i % 2 == 0 ? 0 : random.nextLong(), exchange,
                        random.nextInt(800)));
            }
        }
        byte[] truncated = header(random, random.nextLong(), 0, 34, 0);
        out.add(java.util.Arrays.copyOf(truncated, 20));
        byte[] lying = header(random, random.nextLong(), 0, 34, 40);
        ByteBuffer.wrap(lying).putInt(24, 100_000);
        out.add(lying);
        out.add(header(random, random.nextLong(), random.nextLong(), 37, 60_000)); // oversized
        byte[] valid = header(random, random.nextLong(), 0, 34, 0);
        out.add(java.util.Arrays.copyOf(valid, valid.length + 32)); // garbage after an empty message
        return out;
    }

    /** A version-2 header (its length field true) followed by {@code garbage} random octets as payloads. */
    private static byte[] header(Random random, long spiI, long spiR, int exchange, int garbage) {
        byte[] body = new byte[garbage];
        random.nextBytes(body);
        ByteBuffer b = ByteBuffer.allocate(28 + garbage);
        b.putLong(spiI).putLong(spiR);
        b.put((byte) (garbage == 0 ? 0 : 1 + random.nextInt(60))); // next payload
        b.put((byte) 0x20).put((byte) exchange).put((byte) 0x08).putInt(random.nextInt(3)).putInt(28 + garbage);
        b.put(body);
        return b.array();
    }
}
