package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} from netdevice(7) as 40 bytes in native (little-endian) order: the
 * interface name in the first {@link #IFNAMSIZ} bytes, then a union read as a short (flags),
 * an int (MTU, ifindex) or a {@code struct sockaddr} (address, netmask), all at offset 16.
 * Configuration path only; allocates freely.
 */
final class Ifreq {

    static final int IFNAMSIZ = 16;
    static final int SIZE = 40;
    private static final int UNION = 16;

    final byte[] bytes = new byte[SIZE];
    private final ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());

    Ifreq(String name) {
        byte[] ascii = checkName(name).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, bytes, 0, ascii.length);
    }

    /** Interface names are at most 15 ASCII characters plus NUL, without '/' or spaces. */
    static String checkName(String name) {
        if (name.isEmpty() || name.length() >= IFNAMSIZ || !name.chars().allMatch(c -> c > 32 && c < 127 && c != '/')) {
            throw new IllegalArgumentException("not a Linux interface name: '" + name + "'");
        }
        return name;
    }

    /** The name as the kernel left it (TUNSETIFF replaces a %d template with the number). */
    String name() {
        int end = 0;
        while (end < IFNAMSIZ && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    short shortValue() {
        return view.getShort(UNION);
    }

    Ifreq shortValue(int value) {
        view.putShort(UNION, (short) value);
        return this;
    }

    int intValue() {
        return view.getInt(UNION);
    }

    Ifreq intValue(int value) {
        view.putInt(UNION, value);
        return this;
    }

    /** A {@code struct sockaddr_in}: family in host order, port 0, address in network order. */
    Ifreq inet4(byte[] address) {
        view.putShort(UNION, (short) LinuxLibC.AF_INET);
        view.putShort(UNION + 2, (short) 0);
        System.arraycopy(address, 0, bytes, UNION + 4, 4);
        return this;
    }
}
