#!/usr/bin/python3
"""Test helper for the ICMP lab tests, run inside a lab namespace.

  icmp_probe.py udp DST PORT
      sends one datagram from a connected UDP socket and waits 3 s for anything back;
      prints "refused" (ECONNREFUSED: an ICMP Port Unreachable reached the socket),
      "reply" or "timeout".
  icmp_probe.py udpfrom SPORT DST PORT
      as udp, but sending from source port SPORT (a flow whose reverse a narrow SA carries).
  icmp_probe.py forge DST QSRC QSPORT QDST QDPORT
      sends DST an ICMP Port Unreachable from a raw socket, quoting a UDP packet
      QSRC:QSPORT -> QDST:QDPORT that was never sent; prints "sent N".
"""
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def udp(dst, port, sport=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport))
    s.connect((dst, port))
    s.send(b"pathsec icmp probe")
    s.settimeout(3.0)
    try:
        s.recv(2048)
        print("reply")
    except ConnectionRefusedError:
        print("refused")
    except socket.timeout:
        print("timeout")


def forge(dst, qsrc, qsport, qdst, qdport):
    quoted_ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + 4, 0x4242, 0x4000, 63, 17, 0,
                            socket.inet_aton(qsrc), socket.inet_aton(qdst))
    quoted_ip = quoted_ip[:10] + struct.pack("!H", checksum(quoted_ip)) + quoted_ip[12:]
    quoted_udp = struct.pack("!HHHH", qsport, qdport, 8 + 4, 0)
    body = quoted_ip + quoted_udp + b"fake"
    header = struct.pack("!BBHI", 3, 3, 0, 0)
    message = header[:2] + struct.pack("!H", checksum(header + body)) + header[4:] + body
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    print("sent", s.sendto(message, (dst, 0)))


if __name__ == "__main__":
    if sys.argv[1] == "udp":
        udp(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "udpfrom":
        udp(sys.argv[3], int(sys.argv[4]), int(sys.argv[2]))
    elif sys.argv[1] == "forge":
        forge(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    else:
        sys.exit("unknown command " + sys.argv[1])
