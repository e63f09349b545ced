import socket, time, threading, random, sys
HOST, PORT = "127.0.0.1", int(sys.argv[1])
socks = []
def slowloris(n):
    for _ in range(n):
        try:
            s = socket.create_connection((HOST, PORT)); s.send(b"GET /api/devices/x HTTP/1.1\r\nHost: a\r\n"); socks.append(s)
        except Exception as e: print("slowloris connect", e)
def trickle():
    for _ in range(20):
        for s in list(socks):
            try: s.send(b"X-a: b\r\n")
            except Exception: socks.remove(s)
        time.sleep(1)
def garbage(n):
    for _ in range(n):
        try:
            s = socket.create_connection((HOST, PORT)); s.send(bytes(random.getrandbits(8) for _ in range(2000))); s.close()
        except Exception as e: pass
def abort_mid_body(n):
    for _ in range(n):
        try:
            s = socket.create_connection((HOST, PORT))
            s.send(b"POST /api/devices HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"id\":\"x")
            s.close()
        except Exception: pass
def leave_before_answer(n):
    for i in range(n):
        try:
            s = socket.create_connection((HOST, PORT))
            b = b'{"name":"left-%d"}' % i
            s.send(b"PUT /api/devices/left-%d HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (i, len(b)) + b)
            s.close()
        except Exception: pass
slowloris(300)
t = threading.Thread(target=trickle); t.start()
for f, n in ((garbage, 300), (abort_mid_body, 300), (leave_before_answer, 200)):
    threads = [threading.Thread(target=f, args=(n // 4,)) for _ in range(4)]
    [x.start() for x in threads]; [x.join() for x in threads]
print("slowloris sockets still open after the attacks:", len(socks))
t.join()
print("slowloris sockets still open after 20 s of trickling:", len(socks))
