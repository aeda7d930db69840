package io.pathsec.engine.lab;

import com.google.gson.Gson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * One end of the lab's bulk TCP transfer, run as its own process inside an end node's
 * namespace (E1 or E2) so that the traffic is real kernel TCP through the tunnel.
 *
 * <pre>
 *   TransferEndpoint sink   ADDRESS PORT            accepts one connection, reads to EOF
 *   TransferEndpoint source ADDRESS PORT BYTES      connects and sends BYTES pseudo-random bytes
 * </pre>
 * Both print progress lines {@code {"event":"progress","bytes":N}} every second and end with
 * {@code {"event":"done","bytes":N,"sha256":"…","seconds":S}} on stdout; comparing the two
 * digests proves the tunnel delivered every byte in order.
 */
public final class TransferEndpoint {
    /** No transfer may hang a test or the lab: a stalled socket fails after this long. */
    static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    private static final int CHUNK = 64 * 1024;
    private static final Gson GSON = new Gson();

    /** The result line, also parsed by the lab and the tests. */
    public record Result(String event, long bytes, String sha256, double seconds) {
        public static Result parse(String jsonLine) {
            return GSON.fromJson(jsonLine, Result.class);
        }
    }

    private TransferEndpoint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: TransferEndpoint sink ADDRESS PORT | source ADDRESS PORT BYTES");
            System.exit(2);
        }
        InetAddress address = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            Result r = switch (args[0]) {
                case "sink" -> sink(new InetSocketAddress(address, port), out);
                case "source" -> source(new InetSocketAddress(address, port), Long.parseLong(args[3]), out);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            };
            out.println(GSON.toJson(r));
        } catch (IOException e) {
            System.err.println("transfer failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static Result sink(InetSocketAddress listen, PrintStream out) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.setSoTimeout(SOCKET_TIMEOUT_MILLIS * 4);
            server.bind(listen);
            out.println("{\"event\":\"listening\"}");
            try (Socket s = server.accept()) {
                s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                s.setReceiveBufferSize(4 << 20);
                return receive(s.getInputStream(), out);
            }
        }
    }

    static Result receive(InputStream in, PrintStream out) throws IOException {
        MessageDigest digest = sha256();
        byte[] buf = new byte[CHUNK];
        long total = 0;
        long start = System.nanoTime();
        Progress progress = new Progress(out, start);
        int n;
        while ((n = in.read(buf)) > 0) {
            digest.update(buf, 0, n);
            total += n;
            progress.report(total);
        }
        return new Result("done", total, HexFormat.of().formatHex(digest.digest()), seconds(start));
    }

    static Result source(InetSocketAddress target, long bytes, PrintStream out) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            s.setSendBufferSize(4 << 20);
            s.connect(target, SOCKET_TIMEOUT_MILLIS);
            Result r = send(s.getOutputStream(), bytes, out);
            s.shutdownOutput();
            return r;
        }
    }

    static Result send(OutputStream os, long bytes, PrintStream out) throws IOException {
        MessageDigest digest = sha256();
        // A seeded generator: the content is not predictable by the network, and a fault
        // that repeats or drops a chunk changes the digest.
        SplittableRandom random = new SplittableRandom(bytes * 31 + 7);
        byte[] buf = new byte[CHUNK];
        long sent = 0;
        long start = System.nanoTime();
        Progress progress = new Progress(out, start);
        while (sent < bytes) {
            int n = (int) Math.min(buf.length, bytes - sent);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int k = 0; k < 8 && i + k < n; k++) {
                    buf[i + k] = (byte) (v >>> (k * 8));
                }
            }
            os.write(buf, 0, n);
            digest.update(buf, 0, n);
            sent += n;
            progress.report(sent);
        }
        os.flush();
        return new Result("done", sent, HexFormat.of().formatHex(digest.digest()), seconds(start));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Prints a progress line at most once a second. */
    private static final class Progress {
        private final PrintStream out;
        private long next;

        Progress(PrintStream out, long start) {
            this.out = out;
            this.next = start + 1_000_000_000L;
        }

        void report(long bytes) {
            long now = System.nanoTime();
            if (now >= next) {
                out.println("{\"event\":\"progress\",\"bytes\":" + bytes + "}");
                next = now + 1_000_000_000L;
            }
        }
    }
}
