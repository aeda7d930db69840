package io.pathsec.ui.testsupport;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Static-key documents for GUI tests and the screenshot daemon. */
public final class TestProfiles {
    /** 36 bytes each (aes256gcm16: 32-byte key + 4-byte salt), recognisable in any output. */
    public static final String OUT_KEY = "5ec2e7000000000000000000000000000000000000000000000000000000000000000001";
    public static final String IN_KEY = "5ec2e7111111111111111111111111111111111111111111111111111111111111111102";

    private TestProfiles() {
    }

    public static JsonObject staticKey(String name, String tun, String listen, String peer, String local,
                                       String remote) {
        String json = """
                {
                  "name": "%s",
                  "tun": { "name": "%s", "mtu": 1400, "addresses": ["10.77.0.1/32"], "routes": ["%s"] },
                  "listen": { "address": "%s", "port": 4500 },
                  "peer": { "address": "%s", "port": 4500 },
                  "mode": "tunnel",
                  "sas": [
                    { "direction": "out", "spi": "0x1000", "transform": "aes256gcm16", "key": "%s" },
                    { "direction": "in", "spi": "0x2000", "transform": "aes256gcm16", "key": "%s" }
                  ],
                  "policies": [
                    { "local": "%s", "remote": "%s", "protocol": "any", "action": "protect" }
                  ]
                }
                """.formatted(name, tun, remote, listen, peer, OUT_KEY, IN_KEY, local, remote);
        return JsonParser.parseString(json).getAsJsonObject();
    }
}
