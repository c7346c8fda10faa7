"""procnet: the connections the server under test holds, read from /proc,
for flood.py and slowcrowd.py (each imports it from its own directory)."""
import os
import socket

# ::1 as /proc/PID/net/tcp6 shows it.
LOOPBACK6 = '00000000000000000000000001000000'


def ipv4(addrs):
    """IPv4 addresses as /proc/PID/net/tcp shows them."""
    return {'%08X' % int.from_bytes(socket.inet_aton(a), 'little')
            for a in addrs}


def server_sockets(peers, table='tcp'):
    """Connections the server (FLOOD_PID) holds open with a peer among
    peers (ipv4() of addresses, or {LOOPBACK6} with table 'tcp6'), read
    from /proc; -1 if unknown."""
    pid = os.environ.get('FLOOD_PID')
    if not pid:
        return -1
    inodes = set()
    try:
        for fd in os.listdir('/proc/%s/fd' % pid):
            try:
                link = os.readlink('/proc/%s/fd/%s' % (pid, fd))
            except OSError:
                continue
            if link.startswith('socket:['):
                inodes.add(link[8:-1])
        lines = open('/proc/%s/net/%s' % (pid, table)).read().splitlines()[1:]
    except OSError:
        return -1
    # Distinct sockets, not lines: read while connections come and go,
    # the table may show one socket twice (its read resumes by position).
    return len({f[9] for f in (line.split() for line in lines)
                if f[9] in inodes and f[2].split(':')[0] in peers})
