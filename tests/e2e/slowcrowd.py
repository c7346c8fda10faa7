#!/usr/bin/env python3
"""A slow crowd from many addresses, for redirector_slowcrowd.sh. Every
loop is bounded in count and time; the crowd's addresses are loopback
addresses 127.0.2.1 and up, the person's is 127.0.0.1.

  slowcrowd.py PORT CODE drip IPS N SECONDS
      N connections from each of IPS addresses; half send a partial
      request, half a whole one first (its answer read, the connection
      kept alive) and then a partial one; each then sends one header line
      a second for SECONDS. Prints how many the server closed while they
      were still dripping.

  slowcrowd.py PORT CODE crowd IPS N SECONDS DRIP GOT
      N connections from each of IPS addresses, each sending a partial
      request and then one header line every DRIP seconds; a connection
      the server closes is opened again half a second later, for SECONDS.
      Meanwhile a person on 127.0.0.1 clicks the link (a new connection
      each time, a browser's request, at most 5 s for the answer), four
      times a second from the second second to the last but one; each
      302 is written down in GOT (one code a line). Prints the clicks,
      those answered 302, the crowd's connections opened and closed by
      the server, and (with FLOOD_PID set to the server's pid) the most
      connections from the crowd the server held at once.

  slowcrowd.py PORT CODE six N
      N connections from ::1 to [::1]:PORT, each sending a partial
      request, once the server (FLOOD_PID) holds none from ::1 (an
      earlier probe's gone); once each of them is either closed or held
      by the server (else a second later, without FLOOD_PID), prints how
      many the server had closed (over the per-address limit, which
      counts IPv6 by /64).

Each prints one line: 'PHASE key value key value ...'.
"""
import errno
import os
import resource
import select
import socket
import sys
import threading
import time

from procnet import LOOPBACK6, ipv4, server_sockets

UA = ('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 '
      'Firefox/128.0')


def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = new
    if soft < want:
        sys.exit('slowcrowd.py: needs %d open files, the limit is %d'
                 % (want, soft))


def crowd_addrs(nips):
    return ['127.0.2.%d' % (1 + i) for i in range(nips)]


class Slot:
    """One connection of the crowd: opened without blocking, sends its
    partial request once connected, then a header line at each drip."""

    def __init__(self, src, port, code):
        self.src, self.port, self.code = src, port, code
        self.s = None
        self.up = False
        self.lines = 0

    def open(self):
        self.s = socket.socket()
        self.s.setblocking(False)
        self.s.bind((self.src, 0))
        self.up = False
        self.lines = 0
        e = self.s.connect_ex(('127.0.0.1', self.port))
        if e == 0:
            self.connected()
        elif e not in (errno.EINPROGRESS, errno.EAGAIN):
            raise OSError(e, os.strerror(e))

    def connected(self):
        self.up = True
        self.send(('GET /%s HTTP/1.1\r\nHost: x\r\nUser-Agent: %s\r\n'
                   % (self.code, UA)).encode())

    def send(self, data):
        try:
            self.s.send(data)
        except OSError:
            pass

    def drip(self):
        if self.up:
            self.send(b'X-Drip-%d: 1\r\n' % self.lines)
            self.lines += 1

    def close(self):
        if self.s is not None:
            self.s.close()
            self.s = None


def person(port, code, until, got, out):
    """Clicks the link until the monotonic time until, four a second."""
    clicks = answered = 0
    req = ('GET /%s HTTP/1.1\r\nHost: x\r\nUser-Agent: %s\r\n'
           'Accept: text/html\r\nConnection: close\r\n\r\n'
           % (code, UA)).encode()
    while time.monotonic() < until:
        clicks += 1
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=5,
                                         source_address=('127.0.0.1', 0))
            s.settimeout(5)
            s.sendall(req)
            buf = b''
            while b'\r\n' not in buf and len(buf) < 4096:
                b = s.recv(4096)
                if not b:
                    break
                buf += b
            s.close()
            st = buf.split(b'\r\n', 1)[0].split()
            if len(st) > 1 and st[1] == b'302':
                answered += 1
                got.write(code + '\n')
                got.flush()
        except OSError:
            pass
        time.sleep(0.25)
    out.extend([clicks, answered])


def crowd(port, code, nips, n, seconds, drip, gotpath):
    addrs = crowd_addrs(nips)
    raise_nofile(nips * n + 256)
    slots = [Slot(a, port, code) for a in addrs for _ in range(n)]
    byfd = {}
    poll = select.poll()
    start = time.monotonic()
    end = start + seconds
    opened = closed = 0
    held = -1
    reopen = []		# (when, slot)

    def open_slot(sl):
        nonlocal opened
        try:
            sl.open()
        except OSError:
            reopen.append((time.monotonic() + 0.5, sl))
            sl.close()
            return
        opened += 1
        byfd[sl.s.fileno()] = sl
        poll.register(sl.s, select.POLLIN | (0 if sl.up else select.POLLOUT))

    def drop(sl):
        nonlocal closed
        closed += 1
        poll.unregister(sl.s)
        del byfd[sl.s.fileno()]
        sl.close()
        reopen.append((time.monotonic() + 0.5, sl))

    for sl in slots:
        open_slot(sl)
    got = open(gotpath, 'a')
    result = []
    p = threading.Thread(target=person,
                         args=(port, code, end - 1, got, result))
    time.sleep(1)
    p.start()
    next_drip = start + drip
    next_look = start + 1
    while True:
        now = time.monotonic()
        if now >= end:
            break
        for fd, ev in poll.poll(50):
            sl = byfd.get(fd)
            if sl is None:
                continue
            if not sl.up and ev & select.POLLOUT:
                if sl.s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    drop(sl)
                    continue
                sl.connected()
                poll.modify(sl.s, select.POLLIN)
                continue
            if ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
                try:
                    data = sl.s.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b''
                if not data:
                    drop(sl)
        now = time.monotonic()
        if now >= next_drip:
            for sl in byfd.values():
                sl.drip()
            next_drip += drip
        due = [r for r in reopen if r[0] <= now]
        if due:
            reopen[:] = [r for r in reopen if r[0] > now]
            for _, sl in due:
                open_slot(sl)
        if now >= next_look:
            held = max(held, server_sockets(ipv4(addrs)))
            next_look += 1
    p.join()
    got.close()
    for sl in slots:
        sl.close()
    print('crowd addresses %d per_address %d clicks %d answered %d '
          'opened %d closed_by_server %d server_held_max %d'
          % (nips, n, result[0], result[1], opened, closed, held))


def drip_phase(port, code, nips, n, seconds):
    """Half the connections dribble their first request, half their
    second (after a whole first one): every one must be closed by the
    server while its bytes still come, a header line a second."""
    addrs = crowd_addrs(nips)
    raise_nofile(nips * n + 256)
    socks = []
    for a in addrs:
        for i in range(n):
            s = socket.socket()
            s.settimeout(5)
            s.bind((a, 0))
            s.connect(('127.0.0.1', port))
            if i % 2:
                # A whole request first: its answer, then keep-alive.
                s.sendall(('GET /%s HTTP/1.1\r\nHost: x\r\nUser-Agent: '
                           '%s\r\n\r\n' % (code, UA)).encode())
                buf = b''
                while b'\r\n\r\n' not in buf:
                    b = s.recv(4096)
                    if not b:
                        break
                    buf += b
            s.sendall(('GET /%s HTTP/1.1\r\nHost: x\r\n' % code).encode())
            s.setblocking(False)
            socks.append(s)
    open_ = list(socks)
    end = time.monotonic() + seconds
    line = 0
    while open_ and time.monotonic() < end:
        time.sleep(1)
        still = []
        for s in open_:
            try:
                if s.recv(4096) == b'':
                    continue
            except BlockingIOError:
                pass
            except OSError:
                continue
            try:
                s.send(b'X-Drip-%d: 1\r\n' % line)
            except OSError:
                continue
            still.append(s)
        open_ = still
        line += 1
    for s in socks:
        s.close()
    print('drip opened %d closed_while_dripping %d'
          % (len(socks), len(socks) - len(open_)))


def server_sockets6():
    return server_sockets({LOOPBACK6}, 'tcp6')


def six(port, code, n):
    # Bounded waits, each returning as soon as it may: on a loaded
    # machine the server takes its time to see the probe go and to
    # accept (and refuse) the new connections.
    deadline = time.monotonic() + 30
    while server_sockets6() > 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET6)
        s.settimeout(5)
        s.connect(('::1', port))
        s.sendall(('GET /%s HTTP/1.1\r\nHost: x\r\n' % code).encode())
        socks.append(s)
    shut = set()
    deadline = time.monotonic() + (30 if server_sockets6() >= 0 else 1)
    while True:
        for i, s in enumerate(socks):
            if i in shut:
                continue
            r, _, _ = select.select([s], [], [], 0)
            try:
                if r and s.recv(4096) == b'':
                    shut.add(i)
            except OSError:
                shut.add(i)
        held = server_sockets6()
        if (held >= 0 and len(shut) + held >= n) or \
                time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    for s in socks:
        s.close()
    print('six opened %d closed %d' % (n, len(shut)))


def main():
    port, code, phase = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if phase == 'drip':
        drip_phase(port, code, int(sys.argv[4]), int(sys.argv[5]),
                   float(sys.argv[6]))
    elif phase == 'crowd':
        crowd(port, code, int(sys.argv[4]), int(sys.argv[5]),
              float(sys.argv[6]), float(sys.argv[7]), sys.argv[8])
    elif phase == 'six':
        six(port, code, int(sys.argv[4]))
    else:
        sys.exit('slowcrowd.py: unknown phase ' + phase)


if __name__ == '__main__':
    main()
