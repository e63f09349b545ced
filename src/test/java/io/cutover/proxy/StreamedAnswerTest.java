package io.cutover.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Mode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A V2 read that streams (a {@code text/event-stream} whose end is held by the test) reaches the client
 * chunk by chunk: the first event arrives while V2 has not sent the last. A V2 failing after its
 * first byte reached the client cuts the answer (no terminating chunk, the connection closed).
 */
@QuarkusTest
class StreamedAnswerTest extends ProxyTestBase {

    @BeforeEach
    void streamingV2() {
        applyPolicy("v2Weight: 100\n");
        v2.mode(Mode.STREAM);
    }

    @AfterEach
    void releaseStreams() {
        v2.releaseStream(false);
    }

    /** Reads from the socket until {@code expected} has arrived; fails on a 5 s silence (a held-back answer). */
    private static String readUntil(InputStream in, ByteArrayOutputStream seen, String expected) throws IOException {
        byte[] buf = new byte[4096];
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(expected)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            seen.write(buf, 0, n);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    private static Socket streamRequest() throws IOException {
        Socket s = new Socket("127.0.0.1", RestAssured.port);
        s.setSoTimeout(5000);
        s.getOutputStream().write("GET /api/devices/d-1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    void shouldRelayTheFirstEventBeforeV2SendsTheLast() throws Exception {
        try (Socket s = streamRequest()) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            String head = readUntil(s.getInputStream(), seen, TestBackend.FIRST_EVENT);
            assertThat(head).startsWith("HTTP/1.1 200")
                    .contains(TestBackend.FIRST_EVENT).doesNotContain(TestBackend.LAST_EVENT);
            v2.releaseStream(true);
            String all = readUntil(s.getInputStream(), seen, "0\r\n\r\n");
            assertThat(all).contains(TestBackend.LAST_EVENT).endsWith("0\r\n\r\n");
        }
    }

    @Test
    void shouldCutTheAnswerWhenV2FailsAfterItsFirstByteWentOut() throws Exception {
        try (Socket s = streamRequest()) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            readUntil(s.getInputStream(), seen, TestBackend.FIRST_EVENT);
            v2.releaseStream(false); // V2 closes mid-stream
            String all;
            try {
                all = readUntil(s.getInputStream(), seen, "0\r\n\r\n");
            } catch (java.net.SocketException reset) { // closed or reset: cut; a 5 s silence fails the test
                all = seen.toString(StandardCharsets.ISO_8859_1);
            }
            assertThat(all).as("a truncated answer must not look complete").doesNotContain("0\r\n\r\n")
                    .doesNotContain("\"backend\":\"v1\"");
        }
        assertThat(v1.received()).as("no fallback once the answer has started").isEmpty();
    }
}
