package io.cutover.routing;

import io.cutover.routing.RequestKind.Route;
import java.util.List;

/** Sorts a request into its {@link RequestKind} from its method and path; built once from config. */
public final class RequestClassifier {

    private static final String DEVICES = "/api/devices";
    private static final String TELEMETRY = "/api/telemetry";

    private final List<String> migratingPrefixes;

    /** @param migratingPrefixes path prefixes that follow the traffic policy, e.g. {@code /api/devices} */
    public RequestClassifier(List<String> migratingPrefixes) {
        this.migratingPrefixes = migratingPrefixes.stream().map(RequestClassifier::trimSlash).toList();
    }

    public RequestKind classify(String method, String path) {
        boolean write = isWrite(method);
        String prefix = matchingPrefix(path);
        if (prefix == null) {
            return new RequestKind(Route.OTHER, write, null);
        }
        String deviceId = underPrefix(path, DEVICES) ? firstSegmentAfter(path, DEVICES.length()) : null;
        Route route = path.contains("/telemetry") ? Route.TELEMETRY
                : underPrefix(path, DEVICES) ? Route.DEVICES
                : underPrefix(path, TELEMETRY) ? Route.TELEMETRY : Route.DEVICES;
        return new RequestKind(route, write, deviceId);
    }

    /**
     * The migrating prefix that {@code path} matches only when letter case is ignored (e.g. {@code /API/devices}), or
     * {@code null}. Paths are case-sensitive, so such a path is not migrating; a backend that ignores case would
     * still take it as one, a write that dual write never sees.
     */
    public String caseVariantOf(String path) {
        if (matchingPrefix(path) != null) {
            return null;
        }
        for (String p : migratingPrefixes) {
            if (path.regionMatches(true, 0, p, 0, p.length())
                    && (path.length() == p.length() || path.charAt(p.length()) == '/')) {
                return p;
            }
        }
        return null;
    }

    /** POST, PUT, PATCH and DELETE write; everything else reads. */
    public static boolean isWrite(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    private String matchingPrefix(String path) {
        for (String p : migratingPrefixes) {
            if (underPrefix(path, p)) {
                return p;
            }
        }
        return null;
    }

    /** {@code /api/devices} matches {@code /api/devices}, {@code /api/devices/x}, not {@code /api/devicesx}. */
    static boolean underPrefix(String path, String prefix) {
        return path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    private static String firstSegmentAfter(String path, int from) {
        if (path.length() <= from + 1) {
            return null;
        }
        int end = path.indexOf('/', from + 1);
        String id = end < 0 ? path.substring(from + 1) : path.substring(from + 1, end);
        return id.isEmpty() ? null : id;
    }

    private static String trimSlash(String p) {
        String t = p.trim();
        return t.endsWith("/") && t.length() > 1 ? t.substring(0, t.length() - 1) : t;
    }
}
