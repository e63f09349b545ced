package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.TestBackend.Mode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LimitsTest extends ProxyTestBase {

    private static final int MAX_BODY = 1024 * 1024;

    @Test
    void shouldAnswer413AboveTheBodyLimitWithoutCallingABackend() {
        // the router answers at the head and closes while the client is still sending: read as clients do
        byte[] head = ("POST /api/devices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + (MAX_BODY + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        RawHttp.Answer a = RawHttp.send(concat(head, new byte[MAX_BODY + 1]), 5000);
        assertThat(a.status()).as(a.text()).isEqualTo(413);
        assertThat(a.text()).contains("cutover.proxy.max-body");
        assertThat(a.closed()).isTrue();
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).isEmpty();
    }

    @Test
    void shouldAnswer413WhenAChunkedBodyGrowsPastTheLimit() {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /api/devices HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 20; i++) {
            request.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(chunk);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        RawHttp.Answer a = RawHttp.send(request.toByteArray(), 5000);
        assertThat(a.status()).as(a.text()).isEqualTo(413);
        assertThat(a.closed()).isTrue();
        assertThat(v1.received()).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void shouldForwardABodyOfExactlyTheLimit() {
        given().contentType("application/octet-stream").body(new byte[MAX_BODY]).post("/api/devices")
                .then().statusCode(201);
        assertThat(v1.received()).singleElement().satisfies(r -> assertThat(r.body()).hasSize(MAX_BODY));
    }

    @Test
    void shouldFreeBackendConnectionsOfClientsThatAbortMidRequest() throws Exception {
        v1.mode(Mode.HANG);
        int hung = 8; // the test profile allows 2 connections per event loop towards V1
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < hung; i++) {
            Socket s = new Socket("127.0.0.1", RestAssured.port);
            s.getOutputStream().write("GET /api/users/slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            clients.add(s);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> v1.received().size() >= Math.min(hung, 2));
        for (Socket s : clients) {
            s.close();
        }
        // The backend sees its connections closed at once, not after the 2 s response timeout (the bound leaves a busy
        // machine half a second of that margin).
        await().atMost(Duration.ofMillis(1500)).until(() -> v1.openConnections() == 0);
        v1.mode(Mode.ECHO);
        List<CompletableFuture<Integer>> after = new ArrayList<>();
        for (int i = 0; i < hung; i++) {
            after.add(CompletableFuture.supplyAsync(() -> given().get("/api/users").statusCode()));
        }
        for (CompletableFuture<Integer> f : after) {
            assertThat(f.get()).isEqualTo(200);
        }
    }
}
