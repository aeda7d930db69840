package io.pathsec.engine.control;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Static-key documents with recognisable keys, so tests can search for them anywhere. */
final class TestProfiles {
    /** 36 bytes each (aes256gcm16: 32-byte key + 4-byte salt), easy to spot in any output. */
    static final String OUT_KEY = "5ec2e7000000000000000000000000000000000000000000000000000000000000000001";
    static final String IN_KEY = "5ec2e7111111111111111111111111111111111111111111111111111111111111111102";

    private TestProfiles() {
    }

    static JsonObject staticKey(String name, String tun) {
        return staticKey(name, tun, "198.51.100.71", "198.51.100.72", "10.77.0.1/32", "10.78.0.0/24");
    }

    static JsonObject staticKey(String name, String tun, String listen, String peer, String address, String route) {
        String json = """
                {
                  "name": "%s",
                  "tun": { "name": "%s", "mtu": 1400, "addresses": ["%s"], "routes": ["%s"] },
                  "listen": { "address": "%s", "port": 4500 },
                  "peer": { "address": "%s", "port": 4500 },
                  "mode": "tunnel",
                  "sas": [
                    { "direction": "out", "spi": "0x1000", "transform": "aes256gcm16", "key": "%s" },
                    { "direction": "in", "spi": "0x2000", "transform": "aes256gcm16", "key": "%s" }
                  ],
                  "policies": [
                    { "local": "10.77.0.0/24", "remote": "%s", "protocol": "any", "action": "protect" }
                  ]
                }
                """.formatted(name, tun, address, route, listen, peer, OUT_KEY, IN_KEY, route);
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** The same document with the SAs' in and out roles swapped: the peer's side. */
    static JsonObject peerOf(JsonObject config) {
        JsonObject c = config.deepCopy();
        var sas = c.getAsJsonArray("sas");
        sas.get(0).getAsJsonObject().addProperty("direction", "in");
        sas.get(1).getAsJsonObject().addProperty("direction", "out");
        return c;
    }
}
