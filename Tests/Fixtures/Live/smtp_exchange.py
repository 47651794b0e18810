"""A tiny SMTP server and client on 127.0.0.1, for the live-capture tests.

Binds the server first and prints its port (587 when free, else 25, else any free port: the test
then adds a Decode-As), waits for one line on standard input (the test sends it once `dissect` is
capturing), then runs one SMTP transaction against it and prints "done".
Everything is bounded in time and stays on the loopback interface.
"""
import socket
import sys
import threading

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
for port in (587, 25, 0):
    try:
        server.bind(("127.0.0.1", port))
        break
    except OSError:
        continue
server.listen(1)
server.settimeout(20)
port = server.getsockname()[1]
print(port, flush=True)

if not sys.stdin.readline():
    sys.exit("no go from the test")


def serve():
    conn, _ = server.accept()
    conn.settimeout(20)
    lines = conn.makefile("rb")
    conn.sendall(b"220 mail.example.test ESMTP ready\r\n")
    in_data = False
    for line in lines:
        if in_data:
            if line == b".\r\n":
                in_data = False
                conn.sendall(b"250 2.0.0 Ok: queued as LIVE1\r\n")
            continue
        verb = line.split(b" ")[0].strip().upper()
        if verb == b"EHLO":
            conn.sendall(b"250-mail.example.test\r\n250 8BITMIME\r\n")
        elif verb == b"DATA":
            conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            in_data = True
        elif verb == b"QUIT":
            conn.sendall(b"221 2.0.0 Bye\r\n")
            break
        else:
            conn.sendall(b"250 2.1.0 Ok\r\n")
    conn.close()


thread = threading.Thread(target=serve, daemon=True)
thread.start()
# The client speaks as most MTAs do, commands in capitals, one at a time.
client = socket.create_connection(("127.0.0.1", port), timeout=20)
replies = client.makefile("rb")


def reply():
    while True:
        line = replies.readline()
        if not line or line[3:4] != b"-":
            return line


reply()
for command in (b"EHLO client.example.test", b"MAIL FROM:<alice@example.test>", b"RCPT TO:<bob@example.test>",
                b"DATA"):
    client.sendall(command + b"\r\n")
    reply()
client.sendall(b"Subject: live capture test\r\n\r\nHello from the live-capture test.\r\n.\r\n")
reply()
client.sendall(b"QUIT\r\n")
reply()
client.close()
thread.join(20)
print("done", flush=True)
