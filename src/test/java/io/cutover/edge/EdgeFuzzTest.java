package io.cutover.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.TestBackend.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A few thousand generated malformed request lines and header blocks (seeded, bounded in count and
 * time) against the running router: every one is answered (but one whose head promises a body the
 * client never sends), the router itself never answers 5xx (501 for what it does not implement aside),
 * no backend receives anything but a canonical request, nothing latches, no breaker opens, and no log
 * line carries a client's raw newline.
 */
@QuarkusTest
class EdgeFuzzTest extends ProxyTestBase {

    private static final int REQUESTS = 2000;
    /** A bound for all of them, not a performance claim: a router that hangs on some input fails the test here. */
    private static final long BUDGET_SECONDS = 120;
    /** Silence after which a client gives up waiting for an answer and half-closes (then, as long again, for the close). */
    private static final int QUIET_MILLIS = 1000;
    private static final String FORGED = "AUDIT rollback released";

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "CONNECT", "TRACE", "BREW", "get", "G\u0000T",
            "PATCH", "OPTIONS", "HEAD", "PRI"};
    private static final String[] PIECES = {"/", "//", ".", "..", "/..", "/./", "%", "%2e", "%2E%2E", "%2F", "%2f", "%00",
            "%0d%0a" + FORGED, "%64", "%7e", ";", ";x=1", "\\", "#frag", "?q=1", "?a=%0a", "\u00ff", "\u0000", "@",
            "admin", "q", "api", "devices", "users", "d-1", "telemetry", "\r\n" + FORGED + "\r\n"};
    private static final String[] PREFIXES = {"", "", "", "http://evil.example", "http://u:p@evil", "*", "router:80", " "};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "",
            "HTTP/1.1 extra", "http/1.1"};
    private static final String[] HEADERS = {"Host: router", "Host: router", "Host: a\r\nHost: b",
            "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked, identity",
            "Transfer-Encoding: foo", "Transfer-Encoding:  chunked", "Content-Length: 5", "Content-Length: -1",
            "Content-Length: 5, 5", "Content-Length: 99999999999999999999", "X-A: b\r" + FORGED, "X-A: \u0000",
            "X_Tenant_Id: evil", "x-tenant-id: evil", "Connection: close, Idempotency-Key", "Connection: X-A",
            "Expect: 100-continue", "Expect: nope", " X-Folded: y", "\tX-Folded: y", "X N: 1", "X-N\u0000: 1", ": empty",
            "Upgrade: h2c", "Upgrade: websocket", "X-Long: " + "x".repeat(300), "Idempotency-Key: k", "X-Api-Key: nope"};
    private static final String[] BODIES = {"", "", "hello", "5\r\nhello\r\n0\r\n\r\n", "0\r\n\r\nGET /api/smuggled HTTP/1.1\r\nHost: r\r\n\r\n",
            "zz\r\n"};

    @Inject
    BackendBreakers breakers;

    @Test
    void shouldSurviveMalformedRequestsWithoutA5xxALatchAnOpenBreakerOrAForgedLogLine() throws Exception {
        applyPolicy("v2Weight: 50\nstickyBy: random\n");
        ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (r.getParameters() != null && m != null) {
                    try {
                        m = String.format(m, r.getParameters());
                    } catch (RuntimeException notPrintfStyle) {
                        m = m + " " + java.util.Arrays.toString(r.getParameters());
                    }
                }
                logLines.add(m + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Random random = new Random(12);
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(generate(random));
        }
        ConcurrentLinkedQueue<String> routerFailures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger awaitingABody = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (byte[] req : requests) {
                pool.submit(() -> {
                    RawHttp.Answer a = RawHttp.exchange(req, QUIET_MILLIS);
                    String request = new String(req, StandardCharsets.ISO_8859_1);
                    for (String line : a.text().split("\r\n")) {
                        if (line.matches("HTTP/1\\.[01] 5(0[0234]).*")) {
                            routerFailures.add(line + " for " + LogSafe.escape(request));
                        }
                    }
                    if (a.text().matches("(?s)(HTTP/1\\.1 1\\d\\d [^\r]*\r\n\r\n)*HTTP/1\\.[01] [2-5]\\d\\d .*")) {
                        answered.incrementAndGet();
                    } else if (declaresABody(request)) {
                        awaitingABody.incrementAndGet();    // a head that promises a body the client never sent
                    } else {
                        unanswered.add(LogSafe.escape(request) + " -> " + LogSafe.escape(a.text()));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(BUDGET_SECONDS, TimeUnit.SECONDS)).as("every exchange over").isTrue();
        } finally {
            pool.shutdownNow();
            root.removeHandler(capture);
        }
        assertThat(unanswered).as("requests the router neither answered nor could be waiting a body for").isEmpty();
        assertThat(answered.get() + awaitingABody.get()).isEqualTo(REQUESTS);
        assertThat(answered.get()).as("most generated requests are complete").isGreaterThan(REQUESTS * 3 / 4);
        assertThat(routerFailures).isEmpty();
        List<Received> seen = new ArrayList<>(v1.received());
        seen.addAll(v2.received());
        assertThat(seen).as("some generated requests are well-formed and served").isNotEmpty();
        for (Received r : seen) {
            String path = r.uri().contains("?") ? r.uri().substring(0, r.uri().indexOf('?')) : r.uri();
            assertThat(CanonicalPath.of(path).path()).as(r.uri()).isEqualTo(path);
            assertThat(r.uri()).doesNotStartWith("/admin").doesNotStartWith("/q/");
            assertThat(r.uri().chars()).allMatch(c -> c > 0x20 && c < 0x7F);
            assertThat(r.method()).isNotIn("CONNECT", "TRACE", "BREW", "PRI");
            r.headers().forEach((k, v) -> assertThat(k).doesNotContain("_"));
        }
        assertThat(latch.isLatched()).isFalse();
        assertThat(breakers.state(Backend.V1)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breakers.state(Backend.V2)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(logLines).noneMatch(l -> l.contains("\n" + FORGED) || l.contains("\r" + FORGED));
    }

    private static byte[] generate(Random r) {
        StringBuilder target = new StringBuilder(pick(r, PREFIXES)).append("/api/devices");
        int pieces = r.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            target.insert(r.nextInt(target.length() + 1), pick(r, PIECES));
        }
        StringBuilder req = new StringBuilder(pick(r, METHODS)).append(' ').append(target).append(' ')
                .append(pick(r, VERSIONS)).append("\r\n");
        int headers = r.nextInt(5);
        boolean host = r.nextInt(10) > 0;
        if (host) {
            req.append("Host: router\r\n");
        }
        for (int i = 0; i < headers; i++) {
            req.append(pick(r, HEADERS)).append("\r\n");
        }
        if (r.nextBoolean()) {
            req.append("Connection: close\r\n");
        }
        req.append("\r\n").append(pick(r, BODIES));
        return req.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head (up to the first empty line) declares a body: a length or a transfer coding. */
    private static boolean declaresABody(String request) {
        int end = request.indexOf("\r\n\r\n");
        String head = (end < 0 ? request : request.substring(0, end)).toLowerCase(java.util.Locale.ROOT);
        return head.contains("\ncontent-length:") || head.contains("\ntransfer-encoding:");
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
