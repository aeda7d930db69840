package io.pathsec.engine.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineFramerTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void linesSplitAcrossReadsAndJoinedInOneAreFramed() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFramer(64));
        ByteBuf a = bytes("{\"a\":");
        ByteBuf b = bytes("1}\r\n\n{\"b\":2}\n{\"c\"");
        ch.writeInbound(a, b);
        assertEquals("{\"a\":1}", ch.readInbound());
        assertEquals("{\"b\":2}", ch.readInbound(), "blank lines are skipped, CRLF is fine");
        assertNull(ch.readInbound());
        ch.writeInbound(bytes(":3}\n"));
        assertEquals("{\"c\":3}", ch.readInbound());
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedLineBecomesOneMarkerAndFramingResumes() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFramer(16));
        ch.writeInbound(bytes("0123456789"), bytes("0123456789"), bytes("0123456789\n{\"ok\":1}\n"));
        Object first = ch.readInbound();
        assertTrue(first instanceof LineFramer.Oversized o && o.bytes() == 30, String.valueOf(first));
        assertEquals("{\"ok\":1}", ch.readInbound());
        assertNull(ch.readInbound());
        ch.writeInbound(bytes("é".repeat(8) + "\n")); // 16 bytes of UTF-8: exactly the limit
        assertEquals("é".repeat(8), ch.readInbound());
        ch.finishAndReleaseAll();
    }
}
