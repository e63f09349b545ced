package io.cutover.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.RawHttp.Answer;
import io.cutover.testing.TestBackend.Received;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Request targets as clients send them (issue 20): query strings as browsers write them, unencoded, reach
 * the backend byte for byte; the router's own paths are whole segments, not prefixes.
 */
@QuarkusTest
class ClientTargetsTest extends ProxyTestBase {

    private static Answer get(String target) {
        return RawHttp.send(("GET " + target + " HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), 3000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/other?q=a|b&c={d}", "/other?q=`tick`", "/other?q=\"quoted\"", "/other?q=a^b",
            "/api/devices?q=a|b&c={d}&e=\"x\"&f=`y`&g=^", "/other?q=!$&'()*+,;=:@/?~[]\\%7C", "/other?q=<b>&r=a%20b"})
    void shouldForwardAQueryOfPrintableAsciiByteForByte(String target) {
        Answer a = get(target);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(v1.received()).extracting(Received::uri).containsExactly(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/administrators/42", "/admins", "/qux", "/q-and-a/1", "/adminx/status"})
    void shouldProxyAPathThatOnlyBeginsWithTheNameOfAnOwnPath(String path) {
        Answer a = get(path);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.text().toLowerCase()).contains("x-cutover-backend: v1");
        assertThat(v1.received()).extracting(Received::uri).containsExactly(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin", "/admin/status", "/q/metrics"})
    void shouldKeepItsOwnPathsAndWhatIsBelowThem(String path) {
        get(path);
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\u0001b", "a\tb", "a\u001fb", "a\u007fb", "a b", "caf\u00c3\u00a9", "\u00ff"})
    void shouldRefuseAControlByteASpaceOrANonAsciiByteInTheQuery(String value) {
        Answer a = RawHttp.send(("GET /other?q=" + value + " HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), 3000);
        assertThat(a.status()).as(a.text()).isEqualTo(400);
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).isEmpty();
    }
}
