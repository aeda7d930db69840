package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pathsec.engine.linux.LinuxLibC.AF_INET;
import static io.pathsec.engine.linux.LinuxLibC.AF_INET6;
import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.SOCK_CLOEXEC;
import static io.pathsec.engine.linux.LinuxLibC.SOCK_DGRAM;
import static io.pathsec.engine.linux.LinuxLibC.check;

/**
 * Link configuration through the classic socket ioctls of netdevice(7), no {@code ip} child
 * process: MTU, IFF_UP, one IPv4 address with its prefix, IPv6 addresses.
 *
 * <p>The ioctls act on the network namespace of the socket they are issued on, and a socket
 * belongs to the namespace its creating thread was in. So an instance is bound to the
 * namespace of the thread that called {@link #open()} and may then be used from any thread.
 *
 * <p>Routes are not set here: for now the caller adds them with {@code ip route} (a prefix
 * route appears by itself when an address with a prefix is on an up link). Routes, several
 * IPv4 addresses and address removal belong to an rtnetlink(7) implementation, a later step.
 */
public final class LinuxInterfaceConfig implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxInterfaceConfig.class);

    // <linux/sockios.h>
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCSIFNETMASK = 0x891c;
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCSIFMTU = 0x8922;
    static final long SIOCGIFINDEX = 0x8933;
    // <linux/if.h>
    static final int IFF_UP = 0x1;

    private final int inetSocket;
    private final int inet6Socket;
    private final int inet6Errno;
    private final String netns;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LinuxInterfaceConfig(int inetSocket, int inet6Socket, int inet6Errno, String netns) {
        this.inetSocket = inetSocket;
        this.inet6Socket = inet6Socket;
        this.inet6Errno = inet6Errno;
        this.netns = netns;
    }

    /** Opens the AF_INET and AF_INET6 control sockets in the calling thread's namespace. */
    public static LinuxInterfaceConfig open() throws IOException {
        int inet = check(C.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket(AF_INET)");
        // IPv6 may be disabled on the kernel command line; IPv4 configuration still works then.
        int inet6 = C.socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        int inet6Errno = inet6 < 0 ? LinuxLibC.errno() : 0;
        return new LinuxInterfaceConfig(inet, inet6, inet6Errno, currentNetns());
    }

    /** SIOCSIFMTU. */
    public void setMtu(String name, int mtu) throws IOException {
        ioctl(inetSocket, SIOCSIFMTU, new Ifreq(name).intValue(mtu), "SIOCSIFMTU " + name + " " + mtu);
    }

    /** SIOCGIFMTU. */
    public int mtu(String name) throws IOException {
        return ioctl(inetSocket, SIOCGIFMTU, new Ifreq(name), "SIOCGIFMTU " + name).intValue();
    }

    /** SIOCGIFINDEX: the interface index, as in {@code ip link}. */
    public int index(String name) throws IOException {
        return ioctl(inetSocket, SIOCGIFINDEX, new Ifreq(name), "SIOCGIFINDEX " + name).intValue();
    }

    /** Whether IFF_UP is set (SIOCGIFFLAGS). */
    public boolean isUp(String name) throws IOException {
        return (flags(name) & IFF_UP) != 0;
    }

    /** Sets IFF_UP, keeping the other flags (read-modify-write of SIOCGIFFLAGS/SIOCSIFFLAGS). */
    public void up(String name) throws IOException {
        int flags = flags(name);
        if ((flags & IFF_UP) == 0) {
            ioctl(inetSocket, SIOCSIFFLAGS, new Ifreq(name).shortValue(flags | IFF_UP), "SIOCSIFFLAGS " + name);
        }
    }

    /**
     * Adds an address with its prefix. IPv4: SIOCSIFADDR then SIOCSIFNETMASK, which replace the
     * link's one ioctl-visible IPv4 address. IPv6: SIOCSIFADDR with {@code struct in6_ifreq} on
     * the AF_INET6 socket (ipv6(7)), which adds; several IPv6 addresses may coexist.
     */
    public void addAddress(String name, InetAddress address, int prefixLength) throws IOException {
        if (address instanceof Inet4Address) {
            checkPrefix(prefixLength, 32);
            ioctl(inetSocket, SIOCSIFADDR, new Ifreq(name).inet4(address.getAddress()), "SIOCSIFADDR " + name + " " + address);
            int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            byte[] netmask = ByteBuffer.allocate(4).putInt(mask).array();
            ioctl(inetSocket, SIOCSIFNETMASK, new Ifreq(name).inet4(netmask), "SIOCSIFNETMASK " + name + " /" + prefixLength);
        } else if (address instanceof Inet6Address) {
            checkPrefix(prefixLength, 128);
            if (inet6Socket < 0) {
                throw LinuxLibC.error("socket(AF_INET6)", inet6Errno);
            }
            // struct in6_ifreq { struct in6_addr addr; __u32 prefixlen; int ifindex; }
            ByteBuffer in6 = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            in6.put(address.getAddress()).putInt(prefixLength).putInt(index(name));
            check(C.ioctl(inet6Socket, SIOCSIFADDR, in6.array()), "SIOCSIFADDR " + name + " " + address.getHostAddress());
        } else {
            throw new IllegalArgumentException("unsupported address " + address);
        }
    }

    /**
     * Keeps the kernel's own IPv6 housekeeping out of the tunnel where sysctls allow it: no
     * router solicitations when the link comes up, no router advertisements accepted
     * (ip-sysctl.rst, {@code router_solicitations}, {@code accept_ra}). Call before
     * {@link #up}. MLD reports for the link's multicast groups cannot be switched off this way,
     * so the data path must still drop what the kernel sends that is not user traffic.
     *
     * <p>{@code /proc/sys/net} shows the namespace of the calling thread, so this must run on
     * a thread in this instance's namespace; elsewhere it changes nothing and says so.
     *
     * @return whether both settings were written
     */
    public boolean quietIpv6(String name) {
        Ifreq.checkName(name);
        if (!netns.equals(currentNetns())) {
            LOG.warn("not in the namespace of this config ({}); IPv6 sysctls of {} left alone", netns, name);
            return false;
        }
        Path conf = Path.of("/proc/sys/net/ipv6/conf", name);
        return writeSysctl(conf.resolve("router_solicitations"), "0") & writeSysctl(conf.resolve("accept_ra"), "0");
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LinuxLibC.closeQuietly(inetSocket);
            LinuxLibC.closeQuietly(inet6Socket);
        }
    }

    private int flags(String name) throws IOException {
        return ioctl(inetSocket, SIOCGIFFLAGS, new Ifreq(name), "SIOCGIFFLAGS " + name).shortValue() & 0xffff;
    }

    private Ifreq ioctl(int socket, long request, Ifreq ifreq, String what) throws IOException {
        if (closed.get()) {
            throw new IOException(what + ": interface configuration closed");
        }
        check(C.ioctl(socket, request, ifreq.bytes), what);
        return ifreq;
    }

    private static void checkPrefix(int prefixLength, int bits) {
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " not in 0.." + bits);
        }
    }

    private static boolean writeSysctl(Path path, String value) {
        try {
            Files.write(path, value.getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot write {}: {}", path, e.toString());
            return false;
        }
    }

    /** The calling thread's network namespace, like {@code net:[4026531840]}. */
    static String currentNetns() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
