package io.pathsec.engine.control.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-terminated UTF-8 lines, refusing any longer than a limit so that a broken peer
 * cannot make the reader buffer without bound.
 */
final class BoundedLineReader {
    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[8192];
    private int chunkStart;
    private int chunkEnd;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    String readLine() throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        while (true) {
            if (chunkStart == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    return null; // a partial last line is not a message
                }
                chunkStart = 0;
                chunkEnd = n;
            }
            while (chunkStart < chunkEnd) {
                byte b = chunk[chunkStart++];
                if (b == '\n') {
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return new String(line, 0, length, StandardCharsets.UTF_8);
                }
                if (length == maxBytes) {
                    throw new IOException("a message from the daemon exceeds " + maxBytes + " bytes");
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
                }
                line[length++] = b;
            }
        }
    }
}
