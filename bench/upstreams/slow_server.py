#!/usr/bin/env python3
"""A slow upstream: answers every request after SLOW_MS milliseconds (HTTP/1.1, keep-alive),
200 with a small JSON for GET, 201 otherwise. Used as the slow secondary (bench/lib.sh,
SLOW_SECONDARY_MS) and as the streaming V2 of bench/hotpath-bench.sh.

A GET whose path has a /stream segment (e.g. /api/devices/dev-1/stream) answers 200 `text/event-stream`, chunked: STREAM_CHUNKS
events (`data: <n>`), the first at once (after SLOW_MS), the next ones STREAM_GAP_MS apart.

Usage: slow_server.py <port> <slow_ms> [<stream_chunks> <stream_gap_ms>]   (defaults 10 300)"""
import asyncio
import sys

PORT = int(sys.argv[1])
SLOW = int(sys.argv[2]) / 1000.0
STREAM_CHUNKS = int(sys.argv[3]) if len(sys.argv) > 3 else 10
STREAM_GAP = (int(sys.argv[4]) if len(sys.argv) > 4 else 300) / 1000.0


async def stream(writer):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                 b"X-Backend: stream\r\nTransfer-Encoding: chunked\r\n\r\n")
    for n in range(1, STREAM_CHUNKS + 1):
        if n > 1:
            await asyncio.sleep(STREAM_GAP)
        event = b"data: %d\n\n" % n
        writer.write(b"%x\r\n%s\r\n" % (len(event), event))
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target = (lines[0].split(" ") + [""])[:2]
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1].strip())
            if length:
                await reader.readexactly(length)
            await asyncio.sleep(SLOW)
            if method == "GET" and "/stream" in target.split("?", 1)[0]:
                await stream(writer)
                continue
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
