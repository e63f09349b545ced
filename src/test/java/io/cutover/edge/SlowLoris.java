package io.cutover.edge;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Raw-socket clients that send a request head one byte at a time (one byte per connection every
 * {@code intervalMillis}) and never finish it; each notes when the router closed it and what it answered.
 */
final class SlowLoris implements AutoCloseable {

    /** One slow connection: (once closed by the router) what came back. */
    static final class Conn {
        final Socket socket;
        final CompletableFuture<Long> closedNanos = new CompletableFuture<>();
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        int sent;

        Conn(Socket socket) {
            this.socket = socket;
        }

        boolean closed() {
            return closedNanos.isDone();
        }

        String answer() {
            synchronized (got) {
                return got.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private final byte[] head;
    private final List<Conn> conns = new ArrayList<>();
    private final ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();

    SlowLoris(String tag, long intervalMillis) {
        // a head that never ends: the blank line never comes
        this.head = ("GET /api/devices?" + tag + " HTTP/1.1\r\nHost: router\r\n" + "X-Pad: " + "a".repeat(4000))
                .getBytes(StandardCharsets.ISO_8859_1);
        dribbler.scheduleAtFixedRate(this::dribble, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Opens {@code n} more slow connections, one after another. */
    synchronized List<Conn> open(int n) {
        return open(n, null);
    }

    /** Opens {@code n} more; each first sends {@code first} (a whole request) at once, then dribbles its slow head. */
    synchronized List<Conn> open(int n, String first) {
        List<Conn> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                Conn c = new Conn(new Socket("127.0.0.1", RestAssured.port));
                if (first != null) {
                    c.socket.getOutputStream().write(first.getBytes(StandardCharsets.ISO_8859_1));
                    c.socket.getOutputStream().flush();
                }
                Thread reader = new Thread(() -> read(c), "slowloris-reader");
                reader.setDaemon(true);
                reader.start();
                conns.add(c);
                opened.add(c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return opened;
    }

    private synchronized void dribble() {
        for (Conn c : conns) {
            if (!c.closed() && c.sent < head.length) {
                try {
                    c.socket.getOutputStream().write(head[c.sent++]);
                } catch (IOException gone) {
                    // the reader notes the close
                }
            }
        }
    }

    private static void read(Conn c) {
        byte[] buf = new byte[1024];
        try {
            InputStream in = c.socket.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (c.got) {
                    c.got.write(buf, 0, n);
                }
            }
        } catch (IOException reset) {
            // closed, or reset by the router
        }
        c.closedNanos.complete(System.nanoTime());
    }

    @Override
    public synchronized void close() {
        dribbler.shutdownNow();
        for (Conn c : conns) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
