package io.pathsec.engine.pmtu;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FIONREAD on a real UDP socket: pending datagrams are seen, an empty queue is not. */
class SocketReceiveQueueTest {

    @Test
    void seesADatagramWaitingUnreadAndNoneOnceItIsRead() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open();
             DatagramChannel sender = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            int fd = UdpSocketFd.find(port);
            assertTrue(fd >= 0, "the socket's descriptor");
            SocketReceiveQueue queue = new SocketReceiveQueue(fd);
            assertFalse(queue.getAsBoolean(), "nothing sent yet");
            sender.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), receiver.getLocalAddress());
            long deadline = System.nanoTime() + 2_000_000_000L;
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) { // loopback delivery is asynchronous; bounded
                seen = queue.getAsBoolean();
                Thread.onSpinWait();
            }
            assertTrue(seen, "a datagram waits unread");
            receiver.receive(ByteBuffer.allocate(16));
            assertFalse(queue.getAsBoolean(), "read: nothing waits");
            assertFalse(new SocketReceiveQueue(-1).getAsBoolean(), "no socket: cannot say, so not pending");
        }
    }
}
