package io.cutover.testing;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

    private RawHttp() {
    }

    public static Answer send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1), 1500);
    }

    public static Answer send(byte[] request, int waitMillis) {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(waitMillis);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed;
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
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
            return new Answer(got.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
