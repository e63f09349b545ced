package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend.Mode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** V2 misbehaving in each way a backend can: reads are answered by V1 in the same client request. */
@QuarkusTest
class FallbackTest extends ProxyTestBase {

    @BeforeEach
    void everythingOnV2() {
        applyPolicy("v2Weight: 100\n");
    }

    private void readIsAnsweredByV1() {
        given().get("/api/devices/d-1").then().statusCode(200)
                .header(ResponseRelay.BACKEND_HEADER, "v1")
                .body("backend", equalTo("v1"));
    }

    @Test
    void shouldAnswerAReadFromV1WhenV2IsDown() {
        v2.down();
        readIsAnsweredByV1();
    }

    @Test
    void shouldAnswerAReadFromV1WhenV2Answers500() {
        v2.mode(Mode.ERROR_500);
        readIsAnsweredByV1();
        assertThat(v2.received()).hasSize(1);
    }

    @Test
    void shouldAnswerAReadFromV1WhenV2IsSlowerThanItsTimeout() {
        v2.mode(Mode.SLOW);
        v2.slowMillis(3000); // V2's response timeout is 500 ms in the test profile
        long start = System.nanoTime();
        readIsAnsweredByV1();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
    }

    @Test
    void shouldAnswerAReadFromV1WhenV2ResetsBeforeItsFirstByte() {
        v2.mode(Mode.RESET_BEFORE_BODY);
        String body = given().get("/api/devices/d-1").then().statusCode(200)
                .header(ResponseRelay.BACKEND_HEADER, "v1").extract().asString();
        assertThat(body).doesNotContain("partial");
    }

    @Test
    void shouldSendAWriteToV1WhenV2RefusesTheConnection() {
        v2.down();
        given().contentType("application/json").body("{\"name\":\"a\",\"type\":\"t\"}").post("/api/devices")
                .then().statusCode(201).header(ResponseRelay.BACKEND_HEADER, "v1");
        assertThat(v1.received()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.body()).isEqualTo("{\"name\":\"a\",\"type\":\"t\"}");
        });
    }

    @Test
    void shouldNotReplayAWriteOnV1WhenV2ReceivedItAndFailed() {
        v2.mode(Mode.ERROR_500);
        given().contentType("application/json").body("{\"name\":\"a\"}").post("/api/devices")
                .then().statusCode(500).header(ResponseRelay.BACKEND_HEADER, "v2").body("backend", equalTo("v2"));
        assertThat(v1.received()).isEmpty();
    }

    @Test
    void shouldAnswer504ForAWriteV2TookTooLongFor() {
        v2.mode(Mode.HANG);
        given().contentType("application/json").body("{}").put("/api/devices/d-1")
                .then().statusCode(504).body("error", containsString("did not answer in time"));
        assertThat(v1.received()).isEmpty();
    }

    @Test
    void shouldStopCallingV2OnceItsBreakerOpensAndKeepAnsweringFromV1() {
        v2.mode(Mode.ERROR_500);
        for (int i = 0; i < 10; i++) {
            readIsAnsweredByV1();
        }
        // request-volume 4 at 50%: the breaker opened after the 4th failure; V2 saw no more.
        assertThat(v2.received()).hasSize(4);
        given().contentType("application/json").body("{}").post("/api/devices")
                .then().statusCode(201).header(ResponseRelay.BACKEND_HEADER, "v1");
    }

    @Test
    void shouldAnswer502WithAClearBodyWhenV1IsDownForAPathOnlyV1Serves() {
        v1.down();
        given().get("/api/users").then().statusCode(502)
                .body("error", containsString("backend v1 failed: connect-error"))
                .body("backend", equalTo("v1"));
    }

    @Test
    void shouldResetTheClientConnectionWhenV1FailsMidStream() {
        applyPolicy("v2Weight: 0\n");
        v1.mode(Mode.RESET_MID_RESPONSE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> given().get("/api/devices/d-1").asString())
                .as("a truncated answer must not look complete").isNotNull();
    }

    @Test
    void shouldStreamAnAnswerLargerThanTheFallbackBufferFromV2() {
        String body = given().get("/api/devices/big?bytes=" + (256 * 1024)).then().statusCode(200)
                .header(ResponseRelay.BACKEND_HEADER, "v2").extract().asString();
        assertThat(body).hasSize(256 * 1024);
    }
}
