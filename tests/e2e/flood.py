#!/usr/bin/env python3
"""Hostile clients for the flood fault test, one phase per call. Every
loop is bounded in count and time; the source addresses are other
loopback addresses (127.0.0.2 and up) so that the well-behaved client on
127.0.0.1 is a different IP to the server.

  flood.py PORT CODE slowloris N      N connections from 127.0.0.2, each
                                      dribbling a header line every 0.5 s
                                      for 3 s; prints how many the server
                                      had closed by then, and whether the
                                      rest were closed once they went quiet
  flood.py PORT CODE idle IPS N       N idle connections from each of IPS
                                      addresses; prints how many the server
                                      held at once, and whether all were
                                      closed by the time-out in the end
  flood.py PORT CODE huge             oversized request lines and headers
  flood.py PORT CODE malformed        malformed requests, one per connection

Each phase prints one line: 'PHASE key value key value ...', and for
huge/malformed the status answered to each request ('-' if the server
closed without an answer), so the caller can check that no hostile
request got a redirect. With FLOOD_PID set to the server's pid, the
slowloris and idle phases also print how many connections from their own
addresses the server held at once (its sockets, matched in /proc/PID/net/tcp).
"""
import select
import socket
import sys
import threading
import time

from procnet import ipv4, server_sockets


def connect(port, src, timeout=5):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(('127.0.0.1', port))
    return s


def closed(s):
    """True if the server has closed s (EOF or reset), without blocking."""
    try:
        r, _, _ = select.select([s], [], [], 0)
        if not r:
            return False
        return s.recv(65536) == b''
    except OSError:
        return True


def wait_closed(socks, seconds):
    """Waits until every socket is closed by the server, at most seconds.
    Returns how many were closed."""
    deadline = time.monotonic() + seconds
    open_ = list(socks)
    while open_ and time.monotonic() < deadline:
        open_ = [s for s in open_ if not closed(s)]
        time.sleep(0.1)
    return len(socks) - len(open_)


def slowloris(port, code, n):
    socks, refused = [], 0
    for _ in range(n):
        try:
            s = connect(port, '127.0.0.2')
            s.sendall(('GET /%s HTTP/1.1\r\nHost: x\r\n' % code).encode())
            socks.append(s)
        except OSError:
            refused += 1
    # Dribble: one header line every 0.5 s for 3 s on those still open.
    for i in range(6):
        for s in socks:
            try:
                s.sendall(b'X-Slow-%d: 1\r\n' % i)
            except OSError:
                pass
        time.sleep(0.5)
    held = server_sockets(ipv4(['127.0.0.2']))
    shut = refused + sum(1 for s in socks if closed(s))
    # Now quiet: the connection time-out must close the rest.
    left = [s for s in socks if not closed(s)]
    cleared = wait_closed(left, 60) == len(left)
    for s in socks:
        s.close()
    print('slowloris opened %d server_held %d closed_by_limit %d '
          'timed_out %d cleared %d' % (n, held, shut, len(left), int(cleared)))


def idle(port, code, nips, n):
    socks, refused = [], 0
    for ip in range(nips):
        for _ in range(n):
            try:
                socks.append(connect(port, '127.0.0.%d' % (3 + ip)))
            except OSError:
                refused += 1
    time.sleep(0.5)
    held = server_sockets(ipv4(['127.0.0.%d' % (3 + ip)
                                 for ip in range(nips)]))
    # Past the total limit the server stops accepting: the rest wait in
    # the kernel's backlog and are taken (then timed out) as slots free.
    cleared = wait_closed(socks, 60) == len(socks)
    for s in socks:
        s.close()
    print('idle opened %d server_held %d refused %d cleared %d'
          % (nips * n, held, refused, int(cleared)))


def exchange(port, data, src='127.0.0.2', chunk=65536):
    """Sends data (in chunks, stopping if the server closes) and returns
    the status code of the answer, or '-' if the server closed without one
    (or sent none in 5 s). The client does not half-close: an incomplete
    request is left to the server's time-out."""
    try:
        s = connect(port, src)
    except OSError:
        return 'refused'
    try:
        for i in range(0, len(data), chunk):
            s.sendall(data[i:i + chunk])
    except OSError:
        pass
    got = b''
    try:
        while len(got) < 65536:
            b = s.recv(4096)
            if not b:
                break
            got += b
            if b'\r\n' in got:
                break
    except OSError:
        pass
    s.close()
    line = got.split(b'\r\n', 1)[0].split()
    return line[1].decode('ascii', 'replace') if len(line) > 1 else '-'


def parallel(port, datas):
    """exchange() for each of datas, sixteen at once, each from its own
    loopback address (127.0.1.N) so the per-IP limit does not refuse them;
    returns the statuses in order."""
    got = [None] * len(datas)

    def one(i):
        got[i] = exchange(port, datas[i], src='127.0.1.%d' % (i % 250 + 1))

    # Sixteen at a time: well under the total connection limit.
    for first in range(0, len(datas), 16):
        ts = [threading.Thread(target=one, args=(i,))
              for i in range(first, min(first + 16, len(datas)))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    return got


def huge(port, code):
    path = ('/%s' % code).encode()
    cases = {
        'long_header': b'GET ' + path + b' HTTP/1.1\r\nHost: x\r\nX-Big: ' +
                       b'a' * (1 << 20) + b'\r\n\r\n',
        'many_headers': b'GET ' + path + b' HTTP/1.1\r\nHost: x\r\n' +
                        b''.join(b'X-%d: %d\r\n' % (i, i)
                                 for i in range(20000)) + b'\r\n',
        'long_url': b'GET ' + path + b'?' + b'q' * (1 << 20) +
                    b' HTTP/1.1\r\nHost: x\r\n\r\n',
        'long_method': b'G' * (1 << 20) + b' ' + path + b' HTTP/1.1\r\n\r\n',
        'big_body': b'POST /u/11111111-1111-4111-8111-111111111111 '
                    b'HTTP/1.1\r\nHost: x\r\nContent-Length: 8388608\r\n'
                    b'Content-Type: application/x-www-form-urlencoded\r\n\r\n'
                    + b'a=' + b'b' * (8 << 20),
    }
    names = [n for n in cases for _ in range(3)]
    got = parallel(port, [cases[n] for n in names])
    print('huge ' + ' '.join('%s=%s' % (n, st) for n, st in zip(names, got)))


def malformed(port, code):
    c = code.encode()
    cases = [
        b'GARBAGE\r\n\r\n',
        b'GET\r\n\r\n',
        b'GET /' + c + b'\r\n\r\n',
        b'GET /' + c + b' HTTP/9.9\r\nHost: x\r\n\r\n',
        b'GET /' + c + b' HTTP/1.1 extra\r\nHost: x\r\n\r\n',
        b'GET /%00' + c + b' HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET /' + c + b'%00 HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET //evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET /' + c + b'\r\n HTTP/1.1\r\nHost: x\r\n\r\n',
        b'G\x00T /' + c + b' HTTP/1.1\r\n\r\n',
        b'\x00\x01\x02\xff\xfe\r\n\r\n',
        b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + b'\x00' * 64,
        b'\r\n' * 5000,
        b'GET /' + c + b' HTTP/1.1\r\nNoColonHere\r\n\r\n',
        b'GET /' + c + b' HTTP/1.1\r\nHost: x\r\n folded: line\r\n\r\n',
        b'GET /' + c + b' HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
        b'GET /' + c + b' HTTP/1.1\r\nHost: x\r\nContent-Length: '
        b'99999999999999999999999\r\n\r\n',
        b'POST /p/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
        b'zz\r\nhello\r\n0\r\n\r\n',
        b'POST /p/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
        b'ffffffffffffffff\r\n',
        b'GET /' + c + b' HTTP/1.1\r\nHost: x\r\nUser-Agent: ' +
        b'\xff\xfe\x00\x1b[31m' * 100 + b'\r\n\r\n',
        b'GET /' + c + b' HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ' +
        b'1.1.1.1, ' * 1000 + b'\r\n\r\n',
        b'HEAD /s/' + c + b' HTTP/1.0\r\n\r\n',
        b'DELETE /' + c + b' HTTP/1.1\r\nHost: x\r\n\r\n',
        b'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' * 200,
    ]
    print('malformed ' + ' '.join('%d=%s' % (i, st) for i, st in
                                  enumerate(parallel(port, cases))))


def main():
    port, code, phase = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if phase == 'slowloris':
        slowloris(port, code, int(sys.argv[4]))
    elif phase == 'idle':
        idle(port, code, int(sys.argv[4]), int(sys.argv[5]))
    elif phase == 'huge':
        huge(port, code)
    elif phase == 'malformed':
        malformed(port, code)
    else:
        sys.exit('flood.py: unknown phase ' + phase)


if __name__ == '__main__':
    main()
