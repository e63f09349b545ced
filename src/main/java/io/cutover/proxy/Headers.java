package io.cutover.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Header rules of a proxy (RFC 9110 section 7.6.1), computed once per request and used for the
 * primary call, the fallback, the shadow read and the outbox replay alike: hop-by-hop headers
 * ({@code Connection} and every header any {@code Connection} header names, {@code Keep-Alive},
 * {@code TE}, {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade}, {@code Proxy-*}) are
 * dropped both ways, {@code X-Forwarded-*} are set, headers the router decides itself (the tenant
 * header: V2 gets the resolved tenant instead) never pass from a client, and neither does a name
 * that a CGI/WSGI-style backend would read as one of the router's ({@code X_Tenant_Id} is
 * {@code HTTP_X_TENANT_ID} there, like {@code X-Tenant-Id}).
 */
final class Headers {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";

    /** Headers the router reads or sets itself: a client's look-alike with underscores is dropped. */
    private static final List<String> INTERPRETED = List.of(FORWARDED_FOR, FORWARDED_PROTO, FORWARDED_HOST,
            "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Idempotency-Key",
            "Content-Type", "Authorization");

    /** Folded names ({@link #fold}) that never pass from a client, in any spelling. */
    private final Set<String> stripped;
    private final String[] strippedNames;
    /** Folded names a client may send in their own spelling only (hyphens, any case). */
    private final Set<String> interpreted;

    /**
     * @param stripped   header names the router decides itself and never takes from a client (the
     *                   tenant header; add a rule here, e.g. a tester override header for untrusted callers)
     * @param interpreted further header names (e.g. the API key header) whose underscore look-alikes are dropped
     */
    Headers(Collection<String> stripped, Collection<String> interpreted) {
        this.stripped = stripped.stream().map(Headers::fold).collect(Collectors.toUnmodifiableSet());
        this.strippedNames = this.stripped.toArray(String[]::new);
        Set<String> i = new HashSet<>(this.stripped);
        INTERPRETED.forEach(n -> i.add(fold(n)));
        interpreted.forEach(n -> i.add(fold(n)));
        this.interpreted = Set.copyOf(i);
    }

    /**
     * The headers to send a backend, and to store for the outbox replay: the client's, minus
     * hop-by-hop, Host, length, {@code Expect} (the body is already read: the router answered the
     * client's 100-continue itself), the stripped headers and look-alikes of interpreted ones.
     */
    MultiMap towardsBackend(HttpServerRequest req) {
        MultiMap in = req.headers();
        String connection = connectionTokens(in);
        MultiMap out = HttpHeaders.headers();
        for (Map.Entry<String, String> h : in) {
            String name = h.getKey();
            if (isHopByHop(name, connection)
                    || name.equalsIgnoreCase("Host")
                    || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Expect")
                    || isRouters(name)) {
                continue;
            }
            out.add(name, h.getValue());
        }
        String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        if (peer != null) {
            String prior = String.join(", ", in.getAll(FORWARDED_FOR));
            out.set(FORWARDED_FOR, prior.isBlank() ? peer : prior + ", " + peer);
        }
        out.set(FORWARDED_PROTO, req.scheme() == null ? "http" : req.scheme());
        String host = in.get(HttpHeaders.HOST);
        if (host != null) {
            out.set(FORWARDED_HOST, host);
        }
        return out;
    }

    /** Without folding (allocating) a name per header and request: only a name with an underscore is folded. */
    private boolean isRouters(String name) {
        for (String s : strippedNames) {
            if (foldedEquals(name, s)) {
                return true;
            }
        }
        return name.indexOf('_') >= 0 && interpreted.contains(fold(name));
    }

    /** Whether {@code name} folds ({@link #fold}) to {@code folded}. */
    private static boolean foldedEquals(String name, String folded) {
        int n = name.length();
        if (n != folded.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == '_') {
                c = '-';
            } else if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != folded.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Lower case, underscores as hyphens: the name as a CGI/WSGI gateway or a lenient stack would read it. */
    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every {@code Connection} header's tokens, joined (a client may send several). */
    private static String connectionTokens(MultiMap headers) {
        List<String> all = headers.getAll(HttpHeaders.CONNECTION);
        return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : String.join(",", all);
    }

    /** Copies a backend's answer headers to the client's response, minus hop-by-hop and length. */
    static void towardsClient(MultiMap backend, MultiMap client) {
        String connection = connectionTokens(backend);
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
            while (s < e && (connectionValue.charAt(s) == ' ' || connectionValue.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (connectionValue.charAt(e - 1) == ' ' || connectionValue.charAt(e - 1) == '\t')) {
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
