package io.cutover.testing;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes a client library would refuse to send, written on a raw socket to the router; the answer is
 * read until the router closes the connection or {@code waitMillis} pass without a byte.
 */
public final class RawHttp {

    /** What came back: every byte (ISO-8859-1), and whether the router closed the connection. */
    public record Answer(String text, boolean closed) {
        /** The status code of the first answer, or -1 if there was none. */
        public int status() {
            return text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
        }

        /** How many answers (status lines at the start of the text or of a line) came back. */
        public int answers() {
            int n = 0;
            for (int i = text.indexOf("HTTP/1."); i >= 0; i = text.indexOf("HTTP/1.", i + 1)) {
                if (i == 0 || text.charAt(i - 1) == '\n' || text.charAt(i - 1) == '}') {
                    n++;
                }
            }
            return n;
        }
    }

    /** Fits a socket's send buffer: written at once, never blocked by a router that stopped reading. */
    private static final int INLINE_WRITE = 16 * 1024;

    private RawHttp() {
    }

    public static Answer send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1), 1500);
    }

    /**
     * Sends as HTTP clients do: reading while it writes. The router may answer (413, 431) and close before the last
     * byte is written; the write then fails (a broken pipe, a reset), which is not the test's failure: the answer read
     * is what counts. A request larger than a socket buffer is written from a second thread, so that a write blocked
     * on a router that no longer reads cannot keep the answer from being read.
     */
    public static Answer send(byte[] request, int waitMillis) {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(waitMillis);
            Thread writer = null;
            if (request.length <= INLINE_WRITE) {
                write(s, request);
            } else {
                writer = new Thread(() -> write(s, request), "raw-http-writer");
                writer.setDaemon(true);
                writer.start();
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed;
            try {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException open) {
                closed = false;
            } catch (IOException reset) {
                closed = true;
            }
            s.close();                      // a writer still blocked fails now
            if (writer != null) {
                writer.join(waitMillis);
            }
            return new Answer(got.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * One request, read until its (final) answer is complete, the router closes, or {@code quietMillis} pass without a
     * byte; then the client half-closes (nothing more will come: a router still waiting for a declared body closes) and
     * reads what is left, {@code quietMillis} at most. Unlike {@link #send}, an answer that comes late is not missed and
     * a complete one is not waited past.
     */
    public static Answer exchange(byte[] request, int quietMillis) {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(quietMillis);
            write(s, request);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            boolean halfClosed = false;
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    if (halfClosed) {
                        return new Answer(got.toString(StandardCharsets.ISO_8859_1), false);
                    }
                    s.shutdownOutput();
                    halfClosed = true;
                    continue;
                } catch (IOException reset) {
                    return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
                }
                if (n < 0) {
                    return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
                }
                got.write(buf, 0, n);
                if (finalAnswerComplete(got.toString(StandardCharsets.ISO_8859_1))) {
                    return new Answer(got.toString(StandardCharsets.ISO_8859_1), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the text holds a whole answer of status 200 or more (after any 1xx), framed by its length or chunks. */
    private static boolean finalAnswerComplete(String text) {
        int start = 0;
        while (true) {
            int headEnd = text.indexOf("\r\n\r\n", start);
            if (headEnd < 0 || !text.startsWith("HTTP/1.", start) || text.length() < start + 12) {
                return false;
            }
            int status = Integer.parseInt(text.substring(start + 9, start + 12));
            int bodyStart = headEnd + 4;
            if (status < 200) {
                start = bodyStart;
                continue;
            }
            String head = text.substring(start, headEnd).toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
            if (status == 204 || status == 304) {
                return true;
            }
            if (head.contains("\r\ntransfer-encoding: chunked")) {
                return text.indexOf("\r\n0\r\n\r\n", bodyStart - 2) >= 0;
            }
            return length.find() && text.length() - bodyStart >= Integer.parseInt(length.group(1));
        }
    }

    /** Writes what the router still takes: a failed write (it answered and closed) ends the request, not the test. */
    private static void write(Socket s, byte[] request) {
        try {
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < request.length; off += INLINE_WRITE) {
                out.write(request, off, Math.min(INLINE_WRITE, request.length - off));
            }
            out.flush();
        } catch (IOException closedByRouter) {
            // broken pipe or reset: the router has answered and closed; the reader has (or gets) the answer
        }
    }
}
