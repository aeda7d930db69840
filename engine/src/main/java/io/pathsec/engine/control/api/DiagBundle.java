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

    @Override
    public String toString() {
        return "DiagBundle[" + name + ", " + capturedPackets + " packets]";
    }
}
