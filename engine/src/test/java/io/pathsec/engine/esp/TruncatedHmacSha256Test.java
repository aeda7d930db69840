package io.pathsec.engine.esp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 4868 §2.7.2.1, AUTH256-1 to -4: HMAC-SHA-256-128 is the left half of HMAC-SHA-256. */
class TruncatedHmacSha256Test {

    @ParameterizedTest(name = "AUTH256-{index}")
    @CsvSource({
            "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, 198a607eb44bfbc69903a0f1cf2bbdc5",
            "4a6566654a6566654a6566654a6566654a6566654a6566654a6566654a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, 167f928588c5cc2eef8e3093caa0e87c",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, cdcb1220d1ecccea91e53aba3092f962",
            "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, 372efcf9b40b35c2115b1346903d2ef4",
    })
    void authenticatorVectors(String key, String data, String expected) {
        TruncatedHmacSha256 hmac = new TruncatedHmacSha256(Hex.bytes(key), 0);
        assertEquals(expected, Hex.of(hmac.icv(Hex.bytes(data))));
    }
}
