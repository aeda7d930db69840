package io.pathsec.engine.control.api;

/**
 * The answer to {@code diag}: a zip file the client writes with owner-only permissions, because
 * it holds the SAs' keys ({@code esp_sa}) so that its capture can be decrypted in Wireshark.
 *
 * @param fileName       a suggested file name
 * @param zipBase64      the bundle, base64
 * @param capturedPackets outer datagrams in its {@code outer.pcap}
 * @param containsKeys   true when {@code esp_sa} holds keys (the tunnel was up)
 */
public record DiagBundle(String name, String fileName, String zipBase64, int capturedPackets,
                         boolean containsKeys) {
    /** The longest capture a {@code diag} request waits for. */
    public static final int MAX_CAPTURE_SECONDS = 30;

    /**
     * Writes the zip to a new file readable by its owner only (0600): it may hold the SAs' keys.
     * Refuses to replace an existing file, whose permissions might be wider.
     */
    public void writeTo(java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Files.write(java.nio.file.Files.createFile(file,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))),
                java.util.Base64.getDecoder().decode(zipBase64));
    }

    @Override
    public String toString() {
        return "DiagBundle[" + name + ", " + capturedPackets + " packets]";
    }
}
