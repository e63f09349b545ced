package io.cutover.edge;

import java.util.ArrayList;
import java.util.List;

/**
 * The one canonical form of a request path, decided before anything classifies the request, and the
 * form that is forwarded: the backends' HTTP stacks normalise paths, so a raw path that the router
 * classified one way could execute as another. RFC 3986 section 6.2.2 normalisation, stricter where
 * backends disagree:
 * <ul>
 *   <li>duplicate slashes collapse ({@code //api//devices} is {@code /api/devices});</li>
 *   <li>dot segments are resolved ({@code /api/users/../devices} is {@code /api/devices}); a
 *       {@code ..} above the root is refused;</li>
 *   <li>percent-encoded unreserved letters, digits, {@code -}, {@code _} and {@code ~} are decoded
 *       ({@code /api/%64evices} is {@code /api/devices}); other escapes are kept, hex in upper case;</li>
 *   <li>refused: encoded {@code .}, {@code /} or {@code \} (backends disagree on what they mean),
 *       encoded or raw control bytes, raw bytes outside printable ASCII, {@code \}, {@code ;} (path
 *       parameters, which some stacks strip: {@code /..;/admin}), malformed escapes.</li>
 * </ul>
 */
public final class CanonicalPath {

    private CanonicalPath() {
    }

    /** A canonical path, or why there is none; exactly one of the two is set. */
    public record Result(String path, String refusal) {
        public boolean ok() {
            return path != null;
        }
    }

    /**
     * Whether {@code path} is {@code base} or below it, by whole segments: {@code /admin} takes {@code /admin} and
     * {@code /admin/status}, never {@code /administrators}. A {@code base} that ends with '/' is taken without it.
     */
    public static boolean within(String path, String base) {
        int b = base.length();
        if (b > 1 && base.charAt(b - 1) == '/') {
            b--;
        }
        return path.regionMatches(0, base, 0, b) && (path.length() == b || path.charAt(b) == '/' || b == 1);
    }

    /** @param raw the path part of an origin-form request target (before any {@code ?}) */
    public static Result of(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return refused("the request target must be a path starting with '/' (origin form)");
        }
        StringBuilder decoded = new StringBuilder(raw.length());
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return refused("the path contains a byte outside printable ASCII (0x" + Integer.toHexString(c) + ")");
            }
            if (c == '\\' || c == ';') {
                return refused("the path contains '" + c + "'");
            }
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= n || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                return refused("the path contains a malformed percent-encoding");
            }
            int v = hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2));
            i += 2;
            if (v == '.' || v == '/' || v == '\\') {
                return refused("the path contains an encoded '" + (char) v + "'");
            }
            if (v < 0x20 || v == 0x7F) {
                return refused("the path contains an encoded control byte");
            }
            if (isUnreservedNotDot(v)) {
                decoded.append((char) v);
            } else {
                decoded.append('%').append(Character.toUpperCase(raw.charAt(i - 1))).append(Character.toUpperCase(raw.charAt(i)));
            }
        }
        return resolve(decoded.toString());
    }

    /** Collapses empty segments and resolves dot segments; a trailing slash (or dot segment) is kept as '/'. */
    private static Result resolve(String path) {
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int i = 1;
        int n = path.length();
        while (i <= n) {
            int slash = path.indexOf('/', i);
            int end = slash < 0 ? n : slash;
            String s = path.substring(i, end);
            boolean last = slash < 0 || path.substring(slash).chars().allMatch(ch -> ch == '/');
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return refused("the path climbs above the root with '..'");
                }
                segments.remove(segments.size() - 1);
                trailingSlash = true;
            } else if (s.equals(".")) {
                trailingSlash = true;
            } else if (!s.isEmpty()) {
                segments.add(s);
                trailingSlash = slash >= 0;
            }
            if (last) {
                break;
            }
            i = end + 1;
        }
        StringBuilder out = new StringBuilder(n);
        for (String s : segments) {
            out.append('/').append(s);
        }
        if (segments.isEmpty() || trailingSlash) {
            out.append('/');
        }
        return new Result(out.toString(), null);
    }

    private static boolean isUnreservedNotDot(int v) {
        return (v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || v == '-' || v == '_' || v == '~';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static Result refused(String why) {
        return new Result(null, why);
    }
}
