#!/usr/bin/env python3
"""Load for the fault tests: THREADS keep-alive clients send GET /CODE to
the redirector, at most REQUESTS requests and SECONDS seconds in all. Each
302 received is written to OUT (one code per line, flushed) before the
client sends its next request, so a test can check every answered hit
against the database after killing or starving the server.

Prints one line at the end: 'sent N 302 N 503 N other N errors N'.

  hitload.py PORT CODES OUT [--requests N] [--seconds S] [--threads K]
             [--stop-on-error] [--until-503 N]
"""
import argparse
import http.client
import random
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('port', type=int)
    ap.add_argument('codes')
    ap.add_argument('out')
    ap.add_argument('--requests', type=int, default=1000)
    ap.add_argument('--seconds', type=float, default=20)
    ap.add_argument('--threads', type=int, default=4)
    ap.add_argument('--stop-on-error', action='store_true',
                    help='a client stops at its first connection error '
                    '(the server was killed)')
    ap.add_argument('--until-503', type=int, default=0,
                    help='stop once this many 503 answers were seen')
    a = ap.parse_args()

    codes = open(a.codes).read().split()
    out = open(a.out, 'a')
    lock = threading.Lock()
    n = {'sent': 0, '302': 0, '503': 0, 'other': 0, 'errors': 0}
    deadline = time.monotonic() + a.seconds

    def done():
        return (n['sent'] >= a.requests or time.monotonic() > deadline or
                (a.until_503 and n['503'] >= a.until_503))

    def client(seed):
        rnd = random.Random(seed)
        conn = None
        while True:
            with lock:
                if done():
                    break
                n['sent'] += 1
            code = rnd.choice(codes)
            try:
                if conn is None:
                    conn = http.client.HTTPConnection('127.0.0.1', a.port,
                                                      timeout=30)
                conn.request('GET', '/' + code)
                r = conn.getresponse()
                r.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    n['errors'] += 1
                if conn is not None:
                    conn.close()
                conn = None
                if a.stop_on_error:
                    break
                time.sleep(0.01)
                continue
            with lock:
                if r.status == 302:
                    n['302'] += 1
                    out.write(code + '\n')
                    out.flush()
                elif r.status == 503:
                    n['503'] += 1
                else:
                    n['other'] += 1
            if r.getheader('Connection', '').lower() == 'close':
                conn.close()
                conn = None
        if conn is not None:
            conn.close()

    ts = [threading.Thread(target=client, args=(i,))
          for i in range(a.threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print('sent %(sent)d 302 %(302)d 503 %(503)d other %(other)d '
          'errors %(errors)d' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main())
