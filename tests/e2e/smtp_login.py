#!/usr/bin/env python3
"""A small SMTP server that offers AUTH LOGIN and no other mechanism (nor
PIPELINING), for tests/e2e/delivery_smtps.sh, behind socat's TLS:
smtp-sink offers PLAIN, which the client prefers.

  smtp_login.py PORT USER PASSWORD LOG

Listens on 127.0.0.1:PORT and serves one connection at a time. A login
with USER and PASSWORD is answered 235, any other 535; MAIL before a
login is refused 530. Appends one line per event to LOG: "login ok USER",
"login refused USER", "message N". Quits after 60 seconds whatever
happens, and gives a silent client 10.
"""
import base64
import socket
import sys
import time

port, user, password, log = int(sys.argv[1]), sys.argv[2], sys.argv[3], \
    sys.argv[4]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
deadline = time.time() + 60
messages = 0


def note(s):
    with open(log, "a") as f:
        f.write(s + "\n")


def serve(conn):
    global messages
    f = conn.makefile("rwb")

    def say(s):
        f.write(s.encode() + b"\r\n")
        f.flush()

    def line():
        s = f.readline(8192)
        if not s:
            raise EOFError
        return s.rstrip(b"\r\n").decode("latin-1")

    def decoded():
        return base64.b64decode(line(), validate=True).decode()

    authed = False
    say("220 login-only ESMTP")
    while True:
        cmd = line()
        verb = cmd.split(" ")[0].upper()
        if verb == "EHLO":
            say("250-login-only")
            say("250-AUTH LOGIN")
            say("250 8BITMIME")
        elif cmd.upper() == "AUTH LOGIN":
            say("334 VXNlcm5hbWU6")
            u = decoded()
            say("334 UGFzc3dvcmQ6")
            p = decoded()
            if u == user and p == password:
                authed = True
                note("login ok " + u)
                say("235 2.7.0 Authentication successful")
            else:
                note("login refused " + u)
                say("535 5.7.8 Authentication credentials invalid")
        elif verb == "AUTH":
            say("504 5.5.4 Unrecognized authentication type")
        elif verb == "MAIL":
            say("250 2.1.0 Ok" if authed else
                "530 5.7.0 Authentication required")
        elif verb in ("RCPT", "RSET"):
            say("250 2.1.5 Ok")
        elif verb == "DATA":
            say("354 End data with <CR><LF>.<CR><LF>")
            while line() != ".":
                pass
            messages += 1
            note("message %d" % messages)
            say("250 2.0.0 Ok: queued")
        elif verb == "QUIT":
            say("221 2.0.0 Bye")
            return
        else:
            say("502 5.5.2 Error: command not recognized")


while time.time() < deadline:
    srv.settimeout(max(0.1, deadline - time.time()))
    try:
        conn, _ = srv.accept()
    except OSError:
        break
    conn.settimeout(10)
    try:
        serve(conn)
    except (EOFError, OSError, ValueError):
        pass
    conn.close()
