package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The socket's send path ({@link SendmmsgBatch}: sendmmsg from the writing thread) and its
 * receive path (Netty) on real loopback sockets; needs no root.
 */
class UdpEncapsulationSocketTest {
    private static final InetAddress LOOPBACK4 = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private UdpEncapsulationSocket bind(InetSocketAddress local, EspTransport.EspReceiver receiver) throws Exception {
        UdpEncapsulationSocket s = UdpEncapsulationSocket.bind(local, receiver, null);
        open.add(s);
        return s;
    }

    private DatagramSocket peer(InetAddress address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
        s.setSoTimeout(5000); // every receive is bounded
        open.add(s);
        return s;
    }

    /** An ESP-looking datagram: SPI 0x100, then {@code index} as the sequence number, then filler. */
    private static ByteBuf esp(int index, int length) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        b.writeInt(0x100).writeInt(index);
        for (int i = 8; i < length; i++) {
            b.writeByte(i + index);
        }
        return b;
    }

    private static int receiveIndex(DatagramSocket s, int expectedLength) throws Exception {
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        assertEquals(expectedLength, p.getLength());
        ByteBuffer in = ByteBuffer.wrap(p.getData(), 0, p.getLength());
        int index = in.getInt(4);
        for (int i = 8; i < expectedLength; i++) {
            assertEquals((byte) (i + index), in.get(i), "payload byte " + i + " of datagram " + index);
        }
        return index;
    }

    @Test
    void manyWritesLeaveInOrderWithOneFlushAndBatchesBeyondCapacity() throws Exception {
        UdpEncapsulationSocket socket = bind(new InetSocketAddress(LOOPBACK4, 0), p -> p.release());
        DatagramSocket peer = peer(LOOPBACK4);
        InetSocketAddress to = (InetSocketAddress) peer.getLocalSocketAddress();
        int count = SendmmsgBatch.CAPACITY * 2 + 7; // full batches go before the flush
        for (int i = 0; i < count; i++) {
            socket.write(esp(i, 100 + i), to);
        }
        socket.flush();
        for (int i = 0; i < count; i++) {
            assertEquals(i, receiveIndex(peer, 100 + i));
        }
        assertEquals(0, socket.sendDrops());
    }

    /**
     * Runs of equal datagrams to one peer leave as segmented messages (UDP_SEGMENT); the peer,
     * a plain socket, still receives each datagram on its own, in order, with its own length:
     * full-size runs, a shorter last one that ends a run, and runs broken by another peer.
     */
    @Test
    void runsOfEqualDatagramsArriveAsTheDatagramsTheyWere() throws Exception {
        UdpEncapsulationSocket socket = bind(new InetSocketAddress(LOOPBACK4, 0), p -> p.release());
        DatagramSocket a = peer(LOOPBACK4);
        DatagramSocket b = peer(LOOPBACK4);
        InetSocketAddress toA = (InetSocketAddress) a.getLocalSocketAddress();
        InetSocketAddress toB = (InetSocketAddress) b.getLocalSocketAddress();
        int[] lengths = new int[150];
        for (int round = 0; round < 3; round++) { // 50 at a time: what waits in the peer's buffer stays small
            for (int i = round * 50; i < round * 50 + 50; i++) {
                // 1400-byte runs, a 600-byte tail every 20th, the 50th to the other peer
                lengths[i] = i % 20 == 19 ? 600 : 1400;
                socket.write(esp(i, lengths[i]), i % 50 == 49 ? toB : toA);
            }
            socket.flush();
            for (int i = round * 50; i < round * 50 + 50; i++) {
                assertEquals(i, receiveIndex(i % 50 == 49 ? b : a, lengths[i]), "datagram " + i);
            }
        }
        assertEquals(0, socket.sendDrops());
    }

    @Test
    void heapBuffersAndChangingDestinationsAreSent() throws Exception {
        UdpEncapsulationSocket socket = bind(new InetSocketAddress(0), p -> p.release());
        DatagramSocket a = peer(LOOPBACK4);
        DatagramSocket b = peer(LOOPBACK4);
        InetSocketAddress toA = (InetSocketAddress) a.getLocalSocketAddress();
        InetSocketAddress toB = (InetSocketAddress) b.getLocalSocketAddress();
        for (int i = 0; i < 10; i++) {
            ByteBuf direct = esp(i, 64);
            ByteBuf heap = Unpooled.buffer(64).writeBytes(direct); // IKE arrives on the heap
            direct.release();
            socket.write(heap, i % 2 == 0 ? toA : toB);
        }
        socket.flush();
        for (int i = 0; i < 10; i += 2) {
            assertEquals(i, receiveIndex(a, 64));
            assertEquals(i + 1, receiveIndex(b, 64));
        }
    }

    @Test
    void ipv6PeersAreReachedFromAWildcardSocket() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        UdpEncapsulationSocket socket = bind(new InetSocketAddress(0), p -> p.release());
        DatagramSocket peer;
        try {
            peer = peer(loopback6);
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        socket.write(esp(7, 200), (InetSocketAddress) peer.getLocalSocketAddress());
        socket.flush();
        assertEquals(7, receiveIndex(peer, 200));
    }

    @Test
    void aReceiverThatFailsLosesItsDatagramOnlyAndTheSocketGoesOn() throws Exception {
        LinkedBlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        UdpEncapsulationSocket socket = bind(new InetSocketAddress(LOOPBACK4, 0), (DatagramPacket p) -> {
            int index = p.content().getInt(4);
            p.release();
            if (index % 2 == 1) {
                throw new IllegalStateException("receiver failed on " + index);
            }
            received.add(index);
        });
        DatagramSocket peer = peer(LOOPBACK4);
        for (int i = 1; i <= 6; i++) {
            byte[] out = ByteBuffer.allocate(40).putInt(0x100).putInt(i).array();
            peer.send(new java.net.DatagramPacket(out, out.length,
                    new InetSocketAddress(LOOPBACK4, socket.localAddress().getPort())));
        }
        for (int expected = 2; expected <= 6; expected += 2) {
            assertEquals(expected, received.poll(5, TimeUnit.SECONDS), "the datagrams after a failure");
        }
    }

    @Test
    void receivedEspReachesTheReceiverAndWritesAfterCloseAreDropped() throws Exception {
        LinkedBlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        UdpEncapsulationSocket socket = bind(new InetSocketAddress(LOOPBACK4, 0), (DatagramPacket p) -> {
            received.add(p.content().getInt(4));
            p.release();
        });
        DatagramSocket peer = peer(LOOPBACK4);
        byte[] out = ByteBuffer.allocate(40).putInt(0x100).putInt(42).array();
        peer.send(new java.net.DatagramPacket(out, out.length,
                new InetSocketAddress(LOOPBACK4, socket.localAddress().getPort())));
        assertEquals(42, received.poll(5, TimeUnit.SECONDS));

        socket.close();
        ByteBuf late = esp(1, 64);
        socket.write(late, (InetSocketAddress) peer.getLocalSocketAddress());
        socket.flush();
        assertEquals(0, late.refCnt(), "a write after close releases the buffer");
        peer.setSoTimeout(200);
        assertThrows(SocketTimeoutException.class, () -> peer.receive(new java.net.DatagramPacket(new byte[100], 100)),
                "nothing was sent after close");
    }
}
