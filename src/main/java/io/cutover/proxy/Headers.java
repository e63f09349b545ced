package io.cutover.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * Header rules of a proxy (RFC 9110 section 7.6.1): hop-by-hop headers ({@code Connection} and the
 * headers it names, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 * {@code Upgrade}, {@code Proxy-*}) are dropped both ways, {@code X-Forwarded-*} are set, and the
 * client's tenant header never passes: V2 gets the resolved tenant instead.
 */
final class Headers {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";

    private Headers() {
    }

    /**
     * The headers to send a backend: the client's, minus hop-by-hop, Host, length, {@code Expect}
     * (the body is already read: the router answered the client's 100-continue itself) and the
     * tenant header.
     */
    static MultiMap towardsBackend(HttpServerRequest req, String tenantHeader) {
        MultiMap in = req.headers();
        String connection = in.get(HttpHeaders.CONNECTION);
        MultiMap out = HttpHeaders.headers();
        for (Map.Entry<String, String> h : in) {
            String name = h.getKey();
            if (isHopByHop(name, connection)
                    || name.equalsIgnoreCase("Host")
                    || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Expect")
                    || name.equalsIgnoreCase(tenantHeader)) {
                continue;
            }
            out.add(name, h.getValue());
        }
        String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        if (peer != null) {
            String prior = in.get(FORWARDED_FOR);
            out.set(FORWARDED_FOR, prior == null || prior.isBlank() ? peer : prior + ", " + peer);
        }
        out.set(FORWARDED_PROTO, req.scheme() == null ? "http" : req.scheme());
        String host = in.get(HttpHeaders.HOST);
        if (host != null) {
            out.set(FORWARDED_HOST, host);
        }
        return out;
    }

    /** Copies a backend's answer headers to the client's response, minus hop-by-hop and length. */
    static void towardsClient(MultiMap backend, MultiMap client) {
        String connection = backend.get(HttpHeaders.CONNECTION);
        for (Map.Entry<String, String> h : backend) {
            String name = h.getKey();
            if (isHopByHop(name, connection) || name.equalsIgnoreCase("Content-Length")) {
                continue;
            }
            client.add(name, h.getValue());
        }
    }

    static boolean isHopByHop(String name, String connectionValue) {
        switch (name.length()) {
            case 2:
                if (name.equalsIgnoreCase("TE")) {
                    return true;
                }
                break;
            case 7:
                if (name.equalsIgnoreCase("Trailer") || name.equalsIgnoreCase("Upgrade")) {
                    return true;
                }
                break;
            case 10:
                if (name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive")) {
                    return true;
                }
                break;
            case 17:
                if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    return true;
                }
                break;
            default:
                break;
        }
        if (name.regionMatches(true, 0, "Proxy-", 0, 6)) {
            return true;
        }
        return connectionValue != null && namedIn(connectionValue, name);
    }

    /** Whether a comma-separated {@code Connection} value names this header. */
    private static boolean namedIn(String connectionValue, String name) {
        int i = 0;
        int n = connectionValue.length();
        while (i < n) {
            int comma = connectionValue.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = i;
            int e = end;
            while (s < e && connectionValue.charAt(s) == ' ') {
                s++;
            }
            while (e > s && connectionValue.charAt(e - 1) == ' ') {
                e--;
            }
            if (e - s == name.length() && connectionValue.regionMatches(true, s, name, 0, name.length())) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }
}
