package io.pathsec.engine.ike.crypto;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP data (RFC 7296 §2.23):
 * SHA-1(SPIi | SPIr | IP | Port). In the first IKE_SA_INIT request SPIr is zero.
 */
public final class NatDetection {
    private NatDetection() {
    }

    public static byte[] hash(long spiI, long spiR, InetAddress address, int port) {
        byte[] ip = address.getAddress();
        ByteBuffer input = ByteBuffer.allocate(16 + ip.length + 2)
                .putLong(spiI).putLong(spiR).put(ip).putShort((short) port);
        try {
            return MessageDigest.getInstance("SHA-1").digest(input.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
