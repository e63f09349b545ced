package io.cutover.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Message framing by RFC 9112 and nothing else (issue 20): requests that Netty's HTTP/1 decoder used to frame, or still
 * frames, another way than a front proxy would, sent over raw sockets with a write pipelined behind them. Whatever the
 * router makes of the first, the write behind it must never reach a backend.
 */
@QuarkusTest
class FramingTest extends ProxyTestBase {

    /** A write that a front proxy framing by RFC 9112 would see as part of the request before it, or as garbage. */
    private static final String SMUGGLED = "POST /api/devices HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\n"
            + "Content-Length: 15\r\n\r\n{\"id\":\"smuggled\"}";

    private void assertNoBackendSawAnything() {
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).isEmpty();
    }

    @Test
    void shouldRefuseAHixie76HandshakeAndServeNothingPipelinedBehindIt() {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        // Netty's decoder reads "ABCDEFGH" as this GET's body (hixie-76: 8 bytes, no Content-Length); by RFC 9112 the
        // GET has no body and the next request starts with "ABCDEFGHPOST": either way the POST is not a request of its own
        Answer a = RawHttp.send("GET /other/a HTTP/1.1\r\nHost: router\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n"
                + "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n"
                + "ABCDEFGH" + SMUGGLED);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.text()).contains("hixie-76");
        assertThat(a.answers()).isEqualTo(1);
        assertThat(a.closed()).isTrue();
        assertNoBackendSawAnything();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sec-WebSocket-Key1: 1\r\nSec-WebSocket-Key2: 2", "Sec-WebSocket-Key1: 1", "sec-websocket-key2: 2"})
    void shouldAnswerABodylessHixie76HandshakeAtOnceInsteadOfWaitingForEightBytes(String keys) {
        // before: no answer at all, the decoder waiting for a body the client never meant to send
        Answer a = RawHttp.send("GET /api/devices HTTP/1.1\r\nHost: router\r\n" + keys + "\r\n\r\n");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.closed()).isTrue();
        assertNoBackendSawAnything();
    }

    /**
     * A bare LF ending a chunk line (CVE-2025-58056: Netty before 4.1.125 took it as the line's end, where a front proxy
     * reads on), and a quoted string in a chunk extension that does not end on its line, or holds a control byte
     * (CVE-2026-33870: Netty before 4.1.132 did not parse them; a parser that lets a quoted string run past the CRLF
     * frames the chunks after it differently).
     */
    @ParameterizedTest
    @ValueSource(strings = {"2\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\n\r\n", "2;a=b\n{}\r\n0\r\n\r\n",
            "2;a=\"x\r\n{}\r\n0\r\n\r\n", "2;a=\"x\r\n\"\r\n{}\r\n0\r\n\r\n", "2;a=\"x\\\r\n{}\r\n0\r\n\r\n",
            "2;a=\"x\u0000\"\r\n{}\r\n0\r\n\r\n"})
    void shouldRefuseAChunkLineThatParsersCouldFrameDifferently(String chunks) {
        Answer a = RawHttp.send("POST /api/devices HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunks + SMUGGLED);
        assertThat(a.status()).as(a.text()).isNotIn(200, 201, 202, 204);
        assertThat(a.answers()).isLessThanOrEqualTo(1);
        assertThat(a.closed()).isTrue();
        assertNoBackendSawAnything();
    }

    @Test
    void shouldAcceptAWellFormedQuotedChunkExtensionAndServeNothingBehindAChunkedRequest() {
        Answer a = RawHttp.send("POST /api/devices HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2;name=\"a \\\"quoted\\\" ; value\";x=y\r\n{}\r\n0\r\n\r\n" + SMUGGLED);
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.answers()).isEqualTo(1);
        assertThat(a.closed()).isTrue();
        assertThat(v1.received()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo("{}"));
        assertThat(v2.received()).isEmpty();
    }
}
