#!/usr/bin/env python3
"""A slow upstream for the slow-secondary scenario: answers every request after SLOW_MS
milliseconds (HTTP/1.1, keep-alive), 200 with a small JSON for GET, 201 otherwise.
Usage: slow_server.py <port> <slow_ms>"""
import asyncio
import sys

PORT = int(sys.argv[1])
SLOW = int(sys.argv[2]) / 1000.0


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method = lines[0].split(" ", 1)[0]
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1].strip())
            if length:
                await reader.readexactly(length)
            await asyncio.sleep(SLOW)
            body = b'{"id":"dev-1","backend":"slow"}'
            status = b"200 OK" if method == "GET" else b"201 Created"
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT, backlog=4096)
    async with server:
        await server.serve_forever()


asyncio.run(main())
