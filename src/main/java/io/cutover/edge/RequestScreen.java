package io.cutover.edge;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, before anything routes a request, whether it may be sent to a backend at all, and in
 * which canonical form. What it refuses never reaches a backend, so nothing a client sends can make
 * a backend look unhealthy:
 * <ul>
 *   <li>{@code CONNECT}, {@code TRACE} and methods outside {@code cutover.edge.allowed-methods}
 *       (405; 501 for a method HTTP does not define);</li>
 *   <li>request targets other than a path (absolute form, {@code *}, authority form), with a
 *       fragment, or with bytes outside printable ASCII; paths {@link CanonicalPath} refuses (400);</li>
 *   <li>framing by RFC 9112: more than one {@code Transfer-Encoding} or {@code Content-Length}, a
 *       transfer coding other than exactly {@code chunked} (501), a length that is not a number,
 *       {@code Transfer-Encoding} from an HTTP/1.0 client, both headers at once; a missing or
 *       repeated {@code Host} in HTTP/1.1 (400);</li>
 *   <li>{@code Sec-WebSocket-Key1} or {@code Sec-WebSocket-Key2}, the handshake of the obsolete hixie-76
 *       WebSocket draft: Netty's HTTP/1 decoder (ours, and many backends') frames such a {@code GET} as having
 *       an 8-byte body without any {@code Content-Length}, where RFC 9112 says it has none, so whatever follows
 *       it on the connection would be read one way by a front proxy and another way here (400, the
 *       connection closed: nothing after it is served);</li>
 *   <li>header names that are not tokens and values with CR, LF, NUL or another control byte (400);</li>
 *   <li>an {@code Expect} other than {@code 100-continue} (417);</li>
 *   <li>a request line of an HTTP version other than 1.0, 1.1 (or HTTP/2 by its own framing) (505, with a status
 *       line that says {@code HTTP/1.1}: Vert.x would echo whatever protocol the client named).</li>
 * </ul>
 */
@Singleton
public final class RequestScreen {

    /** Methods RFC 9110 (and RFC 5789) define: one of these not allowed is 405, anything else 501. */
    private static final Set<String> DEFINED = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    private static final Set<String> NEVER = Set.of("CONNECT", "TRACE");

    private final Set<String> allowed;
    private final String allowHeader;

    RequestScreen(EdgeConfig config) {
        this.allowed = config.allowedMethods().stream().map(m -> m.trim().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        for (String m : allowed) {
            if (NEVER.contains(m)) {
                throw new IllegalArgumentException("cutover.edge.allowed-methods: " + config.allowedMethods()
                        + " (expected: no CONNECT or TRACE; a router in front of an API never tunnels or echoes)");
            }
            if (!isToken(m)) {
                throw new IllegalArgumentException("cutover.edge.allowed-methods: '" + m + "' (expected: HTTP method names)");
            }
        }
        this.allowHeader = String.join(", ", config.allowedMethods().stream().map(String::trim).toList());
    }

    /** The value for an {@code Allow} header on a 405. */
    public String allowHeader() {
        return allowHeader;
    }

    public Screened screen(HttpServerRequest req) {
        String method = req.method().name();
        if (!allowed.contains(method)) {
            return DEFINED.contains(method)
                    ? Screened.refused(405, "method", "method " + method + " is not allowed here (allowed: " + allowHeader + ")")
                    : Screened.refused(501, "method", "method not implemented (allowed: " + allowHeader + ")");
        }
        if (req.version() == null) {
            // Netty parses any HTTP/x.y; Vert.x names only 1.0, 1.1 and 2
            NettyChannels.answerAsHttp11(req.connection());
            return Screened.refused(505, "version", "HTTP version not supported (HTTP/1.0, HTTP/1.1 and HTTP/2 are)");
        }
        Refusal head = headers(req.headers(), req.version());
        if (head != null) {
            return new Screened(null, null, head);
        }
        return target(req.uri());
    }

    private static Screened target(String uri) {
        if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') {
            return Screened.refused(400, "target",
                    "the request target must be a path starting with '/' (absolute, authority and asterisk forms are refused)");
        }
        int q = -1;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return Screened.refused(400, "target", "the request target contains a byte outside printable ASCII");
            }
            if (c == '#') {
                return Screened.refused(400, "target", "the request target contains a fragment ('#')");
            }
            if (c == '?' && q < 0) {
                q = i;
            }
        }
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        CanonicalPath.Result p = CanonicalPath.of(rawPath);
        if (!p.ok()) {
            return Screened.refused(400, "path", p.refusal());
        }
        return new Screened(p.path(), q < 0 ? p.path() : p.path() + uri.substring(q), null);
    }

    private static Refusal headers(MultiMap headers, HttpVersion version) {
        int te = 0;
        int cl = 0;
        int host = 0;
        String teValue = null;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            String value = h.getValue();
            if (!isToken(name)) {
                return new Refusal(400, "header", "a header name is not a token (RFC 9110 section 5.1)");
            }
            if (!isFieldValue(value)) {
                return new Refusal(400, "header", "header " + name + " has a control byte (CR, LF, NUL...) in its value");
            }
            if (name.equalsIgnoreCase("Transfer-Encoding")) {
                te++;
                teValue = value;
            } else if (name.equalsIgnoreCase("Content-Length")) {
                cl++;
                if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9') || value.length() > 18) {
                    return new Refusal(400, "framing", "Content-Length is not a number");
                }
            } else if (name.equalsIgnoreCase("Host")) {
                host++;
            } else if (name.equalsIgnoreCase("Sec-WebSocket-Key1") || name.equalsIgnoreCase("Sec-WebSocket-Key2")) {
                return new Refusal(400, "framing", "Sec-WebSocket-Key1/Key2 (the obsolete hixie-76 WebSocket handshake)"
                        + " are refused: HTTP servers disagree on whether such a request has a body");
            } else if (name.equalsIgnoreCase("Expect") && !value.trim().equalsIgnoreCase("100-continue")) {
                return new Refusal(417, "expect", "only 'Expect: 100-continue' is understood");
            }
        }
        if (te > 1) {
            return new Refusal(400, "framing", "more than one Transfer-Encoding header");
        }
        if (te == 1 && !teValue.trim().equalsIgnoreCase("chunked")) {
            return new Refusal(501, "framing", "Transfer-Encoding other than exactly 'chunked' is not implemented");
        }
        if (te == 1 && version != HttpVersion.HTTP_1_1) {
            return new Refusal(400, "framing", "Transfer-Encoding is not accepted from " + version);
        }
        if (te == 1 && cl > 0) {
            return new Refusal(400, "framing", "both Transfer-Encoding and Content-Length (RFC 9112 section 6.3)");
        }
        if (cl > 1) {
            return new Refusal(400, "framing", "more than one Content-Length header");
        }
        if (version == HttpVersion.HTTP_1_1 && host != 1) {
            return new Refusal(400, "header", host == 0 ? "HTTP/1.1 request without Host" : "more than one Host header");
        }
        return null;
    }

    /** RFC 9110 field-value: visible ASCII, obs-text, space and tab; never CR, LF, NUL or another control. */
    private static boolean isFieldValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 token: one or more tchar. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
