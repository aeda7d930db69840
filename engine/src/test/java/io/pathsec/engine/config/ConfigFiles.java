package io.pathsec.engine.config;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A valid configuration to start from, and writing files with chosen permissions. */
final class ConfigFiles {
    static final String KEY_OUT = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304";
    static final String KEY_IN = "ffeeddccbbaa99887766554433221100ffeeddccbbaa9988776655443322110004030201";

    static final String VALID = """
            {
              "name": "g1",
              "tun": { "name": "pathsec0", "mtu": 1400, "addresses": ["10.0.0.1/32"],
                       "routes": ["203.0.113.0/24", "2001:db8:b::/64"] },
              "listen": { "address": "198.51.100.1", "port": 4500 },
              "peer": { "address": "198.51.100.130", "port": 4500 },
              "mode": "tunnel",
              "sas": [
                { "direction": "out", "spi": "0x1000", "transform": "aes256gcm16", "key": "%s", "esn": true },
                { "direction": "in", "spi": "0x2000", "transform": "aes256gcm16", "key": "%s", "esn": true,
                  "replayWindow": 1024 }
              ],
              "policies": [
                { "local": "192.0.2.0/24", "remote": "203.0.113.0/24", "protocol": "any", "action": "protect" },
                { "local": "2001:db8:a::/64", "remote": "2001:db8:b::/64", "action": "protect" }
              ],
              "tfcPadding": 0,
              "workers": 2
            }
            """.formatted(KEY_OUT, KEY_IN);

    private ConfigFiles() {
    }

    static JsonObject valid() {
        return JsonParser.parseString(VALID).getAsJsonObject();
    }

    static Path write(Path directory, String name, String text, String mode) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
