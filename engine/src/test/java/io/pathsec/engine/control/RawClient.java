package io.pathsec.engine.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A client that writes whatever it is given and reads answers line by line: for malformed and
 * oversized input, and for a subscriber that does not read. Run as its own program, it is the
 * probe of the permission test: it connects, says hello, prints the answer and exits.
 */
final class RawClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;

    RawClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next line, or null at the end of the stream. */
    String readLine() throws IOException {
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public static void main(String[] args) throws IOException {
        try (RawClient c = new RawClient(Path.of(args[0]))) {
            try {
                c.send("{\"v\":1,\"id\":1,\"method\":\"hello\",\"params\":{\"client\":\"probe\"}}\n");
            } catch (IOException refusedFirst) {
                // A refused peer is answered at accept and hung up on, which may beat our request
                // (broken pipe); the answer is still there to read.
            }
            String line = c.readLine();
            System.out.println(line == null ? "EOF" : line);
        }
    }
}
