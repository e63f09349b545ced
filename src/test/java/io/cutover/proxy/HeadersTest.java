package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.TestBackend.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HeadersTest extends ProxyTestBase {

    @Test
    void shouldDropHopByHopHeadersTowardsTheBackend() {
        given().header("Connection", "keep-alive, X-Client-Private")
                .header("X-Client-Private", "secret")
                .header("Keep-Alive", "timeout=5")
                .header("TE", "trailers")
                .header("Trailer", "Expires")
                .header("Upgrade", "websocket")
                .header("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .header("X-Client-Public", "kept")
                .get("/api/devices").then().statusCode(200);
        Received r = v1.received().get(0);
        for (String h : new String[] {"X-Client-Private", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Authorization"}) {
            assertThat(r.header(h)).as(h).isNull();
        }
        assertThat(r.header("Connection")).isNotEqualTo("keep-alive, X-Client-Private");
        assertThat(r.header("X-Client-Public")).isEqualTo("kept");
    }

    @Test
    void shouldDropHopByHopHeadersTowardsTheClient() {
        Response resp = given().get("/api/devices/hop-by-hop");
        resp.then().statusCode(200);
        assertThat(resp.header("X-Backend-Private")).isNull();
        assertThat(resp.header("Keep-Alive")).isNull();
        assertThat(resp.header("Proxy-Authenticate")).isNull();
        assertThat(resp.header("Upgrade")).isNull();
        assertThat(resp.header("X-Backend-Public")).isEqualTo("visible");
    }

    @Test
    void shouldNotPassExpectContinueOnOnceTheBodyIsRead() {
        given().header("Expect", "100-continue").contentType("application/json").body("{\"name\":\"x\"}")
                .put("/api/devices/d-1").then().statusCode(200);
        Received r = v1.received().get(0);
        assertThat(r.header("Expect")).isNull();
        assertThat(r.body()).isEqualTo("{\"name\":\"x\"}");
    }

    @Test
    void shouldRelayA304WithoutAddingAContentLength() {
        // RFC 9110 8.6: a 304 carries no Content-Length unless it is that of the 200 (V1's has none)
        RawHttp.Answer a = RawHttp.send("GET /api/devices/d-1 HTTP/1.1\r\nHost: router\r\nIf-None-Match: \"v7\"\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(a.status()).isEqualTo(304);
        assertThat(a.text().toLowerCase(java.util.Locale.ROOT)).contains("etag: \"v7\"").doesNotContain("content-length");
    }

    @Test
    void shouldKeepTheBackendsContentLengthOnAnAnswerToHead() {
        RawHttp.Answer a = RawHttp.send("HEAD /api/devices HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        String length = a.text().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        assertThat(length).as(a.text()).isNotNull();
        assertThat(Integer.parseInt(length)).as("the length of the body V1 would send a GET").isGreaterThan(40);
        assertThat(a.text()).endsWith("\r\n\r\n");
    }

    @Test
    void shouldForwardABodylessRequestWithoutAContentLengthAndAnEmptyBodyWithOne() {
        RawHttp.send("GET /api/devices HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n");
        RawHttp.send("DELETE /api/devices/d-1 HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n");
        RawHttp.send("POST /api/devices HTTP/1.1\r\nHost: router\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(v1.received()).extracting(Received::method).containsExactly("GET", "DELETE", "POST");
        assertThat(v1.received().get(0).header("Content-Length")).isNull();
        assertThat(v1.received().get(1).header("Content-Length")).isNull();
        assertThat(v1.received().get(2).header("Content-Length")).isEqualTo("0");
    }

    @Test
    void shouldSetForwardedHeaders() {
        given().header("X-Forwarded-For", "203.0.113.7").header("Host", "api.example.com")
                .get("/api/devices").then().statusCode(200);
        Received r = v1.received().get(0);
        assertThat(r.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(r.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(r.header("X-Forwarded-Host")).isEqualTo("api.example.com");
        assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + v1.port());
    }

    @Test
    void shouldNeverPassASpoofedTenantHeaderToV2WhenItIsNotTrusted() {
        applyPolicy("v2Weight: 100\n");
        given().header("X-Tenant-Id", "victim-tenant").get("/api/devices").then().statusCode(200);
        given().header("X-Tenant-Id", "victim-tenant").header("X-Api-Key", "key-tenant-acme")
                .post("/api/devices").then().statusCode(201);
        assertThat(v2.received()).extracting(r -> r.header("X-Tenant-Id"))
                .containsExactly("default_tenant_id", "tenant-acme");
    }

    @Test
    void shouldNotSendTheTenantHeaderToV1() {
        given().header("X-Tenant-Id", "victim-tenant").get("/api/devices").then().statusCode(200);
        assertThat(v1.received().get(0).header("X-Tenant-Id")).isNull();
    }

    @Test
    void shouldTellWhichBackendAnswered() {
        given().get("/api/users").then().header(ResponseRelay.BACKEND_HEADER, "v1");
    }
}
