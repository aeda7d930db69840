package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelTunTest {

    private final ChannelTun tun = new ChannelTun("pathsec0", 1400, 4);
    private final ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);

    @AfterEach
    void release() {
        tun.close();
        buf.release();
    }

    /** A minimal IPv4-looking packet: version nibble 4, then {@code id} to tell packets apart. */
    private static ByteBuf ipv4(int id, int length) {
        ByteBuf p = Unpooled.directBuffer(length);
        p.writeByte(0x45).writeByte(id);
        p.writeZero(length - 2);
        return p;
    }

    @Test
    void injectedPacketsAreReadInOrderAtTheWriterIndex() throws Exception {
        ByteBuf first = ipv4(1, 100);
        ByteBuf second = ipv4(2, 60);
        assertTrue(tun.inject(first));
        assertTrue(tun.inject(second));
        assertEquals(100, first.readableBytes(), "inject copies, the caller's buffer is untouched");

        buf.writerIndex(16); // headroom for outer headers, as the data path leaves it
        assertEquals(100, tun.read(buf, 0));
        assertEquals(116, buf.writerIndex());
        assertEquals(1, buf.getByte(17));
        buf.clear();
        assertEquals(60, tun.read(buf, 0));
        assertEquals(2, buf.getByte(1));
        first.release();
        second.release();
    }

    @Test
    void writtenPacketsAreTakenByTheKernelSide() throws Exception {
        ByteBuf packet = ipv4(7, 80);
        packet.readerIndex(0);
        tun.write(packet);
        assertEquals(0, packet.readerIndex(), "write leaves the caller's indexes alone");
        ByteBuf taken = tun.take(1, TimeUnit.SECONDS);
        assertEquals(80, taken.readableBytes());
        assertEquals(7, taken.getByte(1));
        taken.release();
        packet.release();
        assertNull(tun.take(0, TimeUnit.MILLISECONDS));
    }

    @Test
    void readTimesOutWithZero() throws Exception {
        long start = System.nanoTime();
        assertEquals(0, tun.read(buf, 30));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
        assertEquals(0, tun.read(buf, 0));
        assertEquals(0, buf.readableBytes());
    }

    @Test
    void fullQueuesDropAndCountInsteadOfBlocking() throws Exception {
        ByteBuf packet = ipv4(1, 40);
        for (int i = 0; i < 4; i++) {
            assertTrue(tun.inject(packet));
            tun.write(packet);
        }
        assertFalse(tun.inject(packet));
        tun.write(packet);
        assertEquals(1, tun.droppedInjections());
        assertEquals(1, tun.droppedWrites());
        packet.release();
    }

    @Test
    void refusesWhatTheKernelWouldRefuse() {
        ByteBuf notIp = Unpooled.directBuffer(40).writeZero(40);
        IOException e = assertThrows(IOException.class, () -> tun.write(notIp));
        assertTrue(e.getMessage().contains("Invalid argument"));
        ByteBuf tooBig = ipv4(1, 1401);
        assertThrows(IllegalArgumentException.class, () -> tun.inject(tooBig));
        assertThrows(IllegalArgumentException.class, () -> tun.read(Unpooled.buffer(2048), 0), "heap buffer");
        assertThrows(IOException.class, () -> tun.setMtu(67));
        notIp.release();
        tooBig.release();
    }

    @Test
    void setMtuChangesWhatMayBeInjected() throws Exception {
        tun.setMtu(1280);
        assertEquals(1280, tun.mtu());
        ByteBuf packet = ipv4(1, 1300);
        assertThrows(IllegalArgumentException.class, () -> tun.inject(packet));
        packet.release();
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReaderAndATaker() throws Exception {
        CountDownLatch waiting = new CountDownLatch(2);
        CountDownLatch returned = new CountDownLatch(2);
        AtomicInteger readResult = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger takeWasNull = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                waiting.countDown();
                readResult.set(tun.read(buf, 60_000));
            } catch (IOException e) {
                readResult.set(Integer.MAX_VALUE);
            } finally {
                returned.countDown();
            }
        });
        Thread taker = new Thread(() -> {
            try {
                waiting.countDown();
                takeWasNull.set(tun.take(60, TimeUnit.SECONDS) == null ? 1 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                returned.countDown();
            }
        });
        reader.start();
        taker.start();
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        // Whether the threads are already waiting or not yet, both must return promptly.
        tun.close();
        assertTrue(returned.await(2, TimeUnit.SECONDS), "still blocked 2 s after close (timeouts were 60 s)");
        assertEquals(-1, readResult.get());
        assertEquals(1, takeWasNull.get());
    }

    @Test
    void afterCloseReadsAnswerMinusOneAndWritesThrow() throws Exception {
        ByteBuf packet = ipv4(1, 40);
        assertTrue(tun.inject(packet));
        tun.close();
        tun.close();
        assertEquals(-1, tun.read(buf, 1000), "queued packets are gone with the device, as in the kernel");
        assertThrows(ClosedChannelException.class, () -> tun.write(packet));
        assertThrows(ClosedChannelException.class, () -> tun.setMtu(1300));
        assertFalse(tun.inject(packet));
        assertNull(tun.take(1, TimeUnit.SECONDS));
        packet.release();
    }

    @Test
    void aReaderWakesForAPacketInjectedFromAnotherThread() throws Exception {
        CountDownLatch returned = new CountDownLatch(1);
        AtomicInteger length = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                length.set(tun.read(buf, 10_000));
            } catch (IOException e) {
                length.set(-2);
            } finally {
                returned.countDown();
            }
        });
        reader.start();
        ByteBuf packet = ipv4(3, 90);
        tun.inject(packet);
        assertTrue(returned.await(5, TimeUnit.SECONDS));
        assertEquals(90, length.get());
        packet.release();
    }
}
