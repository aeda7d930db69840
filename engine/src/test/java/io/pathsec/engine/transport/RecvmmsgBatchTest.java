package io.pathsec.engine.transport;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recvmmsg(2) into slots of one buffer, on a real loopback socket; needs no root. */
class RecvmmsgBatchTest {
    private static final InetAddress LOOPBACK4 = InetAddress.getLoopbackAddress();
    private static final long WAIT_NANOS = 5_000_000_000L;

    private final RecordingAllocator allocator = new RecordingAllocator();
    private final LongAdder truncated = new LongAdder();
    private final List<DatagramPacket> received = new ArrayList<>();
    private final List<DatagramSocket> peers = new ArrayList<>();
    private final List<RecvmmsgBatch> batches = new ArrayList<>();
    private Socket socket;
    private InetSocketAddress local;

    @BeforeEach
    void bind() throws Exception {
        Epoll.ensureAvailability(); // Netty's native library, which Socket needs
        socket = Socket.newSocketDgram();
        socket.bind(new InetSocketAddress(LOOPBACK4, 0));
        local = socket.localAddress();
    }

    @AfterEach
    void close() throws Exception {
        received.forEach(DatagramPacket::release);
        batches.forEach(RecvmmsgBatch::release);
        for (DatagramSocket p : peers) {
            p.close();
        }
        socket.close();
    }

    private RecvmmsgBatch batch(int slot) {
        RecvmmsgBatch batch = new RecvmmsgBatch(socket.intValue(), slot, local, allocator, truncated);
        batches.add(batch);
        return batch;
    }

    private DatagramSocket peer() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK4, 0));
        peers.add(s);
        return s;
    }

    private void send(DatagramSocket from, int index, int length) throws Exception {
        byte[] data = new byte[length];
        data[0] = (byte) index;
        for (int i = 1; i < length; i++) {
            data[i] = (byte) (i * 7 + index);
        }
        from.send(new java.net.DatagramPacket(data, length, local));
    }

    /** Reads until {@code expected} datagrams arrived (loopback delivery is not instant), at most 5 s. */
    private int receiveAll(RecvmmsgBatch batch, int expected) {
        int reads = 0;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (received.size() + truncated.intValue() < expected && System.nanoTime() < deadline) {
            if (batch.receive(received::add) > 0) {
                reads++;
            }
        }
        assertEquals(expected, received.size() + truncated.intValue(), "datagrams read");
        return reads;
    }

    private static void assertContent(DatagramPacket p, int index, int length) {
        ByteBuf c = p.content();
        assertEquals(length, c.readableBytes(), "length of datagram " + index);
        assertEquals((byte) index, c.getByte(c.readerIndex()));
        for (int i = 1; i < length; i++) {
            assertEquals((byte) (i * 7 + index), c.getByte(c.readerIndex() + i), "byte " + i + " of datagram " + index);
        }
    }

    @Test
    void datagramsFromTwoPeersArriveWithTheirSendersAndContent() throws Exception {
        DatagramSocket a = peer();
        DatagramSocket b = peer();
        int[] lengths = {100, 1400, 60, 9000, 1};
        DatagramSocket[] from = {a, a, b, a, b};
        for (int i = 0; i < lengths.length; i++) {
            send(from[i], i, lengths[i]);
        }
        receiveAll(batch(9216), lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            DatagramPacket p = received.get(i);
            assertContent(p, i, lengths[i]);
            assertEquals(from[i].getLocalSocketAddress(), p.sender(), "sender of datagram " + i);
            assertEquals(local, p.recipient());
        }
        assertSame(received.get(0).sender(), received.get(1).sender(), "one peer in a row: one address object");
        assertNotSame(received.get(1).sender(), received.get(2).sender());
        assertEquals(0, truncated.sum());
    }

    @Test
    void moreThanABatchIsReadInBatchesAndTheBuffersAreFreedWithTheirPacketsAndTheBatch() throws Exception {
        DatagramSocket a = peer();
        int count = RecvmmsgBatch.CAPACITY + 5;
        for (int i = 0; i < count; i++) {
            send(a, i, 200 + i);
        }
        RecvmmsgBatch batch = batch(2048);
        int reads = receiveAll(batch, count);
        assertTrue(reads >= 2, "a read takes at most " + RecvmmsgBatch.CAPACITY + ": " + reads + " reads");
        for (int i = 0; i < count; i++) {
            assertContent(received.get(i), i, 200 + i);
        }
        assertTrue(allocator.made.size() >= 2, "a full read leaves too few slots: a new buffer");
        received.forEach(DatagramPacket::release);
        received.clear();
        assertTrue(allocator.made.get(allocator.made.size() - 1).refCnt() > 0, "the batch keeps its slots");
        batch.release();
        allocator.made.forEach(buf -> assertEquals(0, buf.refCnt(), "a buffer outlived its packets or the batch"));
    }

    /** One datagram per read, as on an idle tunnel: the slots left are used before a new buffer. */
    @Test
    void aQuietSocketFillsTheSlotsLeftBeforeItTakesANewBuffer() throws Exception {
        DatagramSocket a = peer();
        RecvmmsgBatch batch = batch(2048);
        int quiet = RecvmmsgBatch.CAPACITY - RecvmmsgBatch.MIN_FREE_SLOTS + 1;
        for (int i = 0; i < quiet; i++) {
            send(a, i, 64 + i);
            receiveAll(batch, i + 1);
            assertContent(received.get(i), i, 64 + i);
        }
        assertEquals(1, allocator.made.size(), quiet + " datagrams one by one share one buffer");
        send(a, quiet, 64);
        receiveAll(batch, quiet + 1);
        assertEquals(2, allocator.made.size(), "too few slots left: a new buffer");
    }

    /** After a read of several datagrams (a busy socket) the next read gets all the slots of a new buffer. */
    @Test
    void afterABusyReadTheNextReadTakesANewBuffer() throws Exception {
        DatagramSocket a = peer();
        RecvmmsgBatch batch = batch(2048);
        int busyRead = 0;
        for (int attempt = 0; attempt < 10 && busyRead < 2; attempt++) {
            // Loopback queues a datagram within the send; a loaded machine may defer it, so try again.
            received.forEach(DatagramPacket::release);
            received.clear();
            send(a, 0, 64);
            send(a, 1, 64);
            busyRead = 0;
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (busyRead == 0 && System.nanoTime() < deadline) {
                busyRead = batch.receive(received::add);
            }
            if (busyRead < 2) {
                receiveAll(batch, 2);
            }
        }
        assertEquals(2, busyRead, "two datagrams in one read");
        int before = allocator.made.size();
        assertEquals(0, batch.receive(received::add));
        assertEquals(before + 1, allocator.made.size(), "a new buffer after a busy read");
        assertEquals(0, batch.receive(received::add));
        assertEquals(before + 1, allocator.made.size(), "an empty read is not busy: the buffer stays");
    }

    @Test
    void aDatagramLongerThanItsSlotIsCountedAndDroppedAndTheOthersArrive() throws Exception {
        DatagramSocket a = peer();
        send(a, 0, 100);
        send(a, 1, 300);
        send(a, 2, 50);
        receiveAll(batch(256), 3);
        assertEquals(1, truncated.sum());
        assertEquals(2, received.size());
        assertContent(received.get(0), 0, 100);
        assertContent(received.get(1), 2, 50);
    }

    @Test
    void anEmptyQueueReadsNothingAndAllocatesTheSlotsOnlyOnce() {
        RecvmmsgBatch batch = batch(2048);
        assertEquals(0, batch.receive(received::add));
        assertEquals(0, batch.receive(received::add));
        assertTrue(received.isEmpty());
        assertEquals(1, allocator.made.size());
        batch.release();
        allocator.made.forEach(buf -> assertEquals(0, buf.refCnt()));
    }

    /** Direct buffers that remember themselves, to see each freed. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        RecordingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = Unpooled.directBuffer(initialCapacity, maxCapacity);
            made.add(buf);
            return buf;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
